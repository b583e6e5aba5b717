package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;

/**
 * A buyer's request as it reached the allocator. The command side refuses a quantity below 1, but
 * the allocator answers every request it receives, so such a quantity is rejected, not thrown.
 *
 * @param quantity tickets asked for
 * @param codeDigest the digest of the access code the buyer gave, or null
 */
public record ReservationRequest(
    ReservationId id,
    EventId event,
    OfferId offer,
    CustomerId customer,
    int quantity,
    String codeDigest) {

  /** A request without an access code. */
  public ReservationRequest(
      ReservationId id, EventId event, OfferId offer, CustomerId customer, int quantity) {
    this(id, event, offer, customer, quantity, null);
  }
}
