package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.ReservationId;
import java.time.Instant;

/** What the allocator decided; each becomes one event on {@code booking.reservations}. */
public sealed interface Outcome {

  /** The reservation the outcome is about, as it stands after it. */
  Reservation reservation();

  /** Seats held until {@code reservation().expiresAt()}. */
  record Held(Reservation reservation) implements Outcome {}

  /** The request, or a late payment, was refused. */
  record Rejected(Reservation reservation, RejectionReason reason, String detail)
      implements Outcome {}

  /** The hold ended unpaid at {@code at}; its seats are back on sale. */
  record Expired(Reservation reservation, Instant at) implements Outcome {}

  /** Paid within the hold: the seats are sold. */
  record Confirmed(Reservation reservation, String paymentId) implements Outcome {}

  /** The buyer or the organizer cancelled; the seats are back on sale. */
  record Cancelled(Reservation reservation, String reason) implements Outcome {}

  default ReservationId reservationId() {
    return reservation().id();
  }
}
