package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.SeatMap.SeatRef;
import java.util.List;

/**
 * A buyer's request as it reached the allocator. The command side refuses a quantity below 1, but
 * the allocator answers every request it receives, so such a quantity is rejected, not thrown.
 *
 * @param quantity tickets asked for
 * @param codeDigest the digest of the access code the buyer gave, or null
 * @param seats the seats the buyer chose, one per ticket, for an offer sold by seat; empty for the
 *     best available (or a general-admission offer)
 */
public record ReservationRequest(
    ReservationId id,
    EventId event,
    OfferId offer,
    CustomerId customer,
    int quantity,
    String codeDigest,
    List<SeatRef> seats) {

  public ReservationRequest {
    seats = seats == null ? List.of() : List.copyOf(seats);
  }

  /** A request without chosen seats. */
  public ReservationRequest(
      ReservationId id,
      EventId event,
      OfferId offer,
      CustomerId customer,
      int quantity,
      String codeDigest) {
    this(id, event, offer, customer, quantity, codeDigest, List.of());
  }

  /** A request without an access code. */
  public ReservationRequest(
      ReservationId id, EventId event, OfferId offer, CustomerId customer, int quantity) {
    this(id, event, offer, customer, quantity, null);
  }
}
