package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;

/**
 * A buyer's request, as admitted by the command side (which already refused malformed ones).
 *
 * @param quantity tickets asked for, at least 1
 */
public record ReservationRequest(
    ReservationId id, EventId event, OfferId offer, CustomerId customer, int quantity) {

  public ReservationRequest {
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
    }
  }
}
