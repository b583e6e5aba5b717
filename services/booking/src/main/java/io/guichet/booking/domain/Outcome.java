package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.ReservationId;
import java.time.Instant;

/** What the allocator decided; each becomes one event on {@code booking.reservations}. */
public sealed interface Outcome {

  /** The reservation the outcome is about, as it stands after it. */
  Reservation reservation();

  /**
   * Seats held until {@code reservation().expiresAt()}.
   *
   * @param split whether best-available seats could not seat the party side by side in one row
   *     (they are in more than one group)
   */
  record Held(Reservation reservation, boolean split) implements Outcome {

    public Held(Reservation reservation) {
      this(reservation, false);
    }
  }

  /** The request, or a late payment, was refused. */
  record Rejected(Reservation reservation, RejectionReason reason, String detail)
      implements Outcome {}

  /** The hold ended unpaid at {@code at}; its seats are back on sale. */
  record Expired(Reservation reservation, Instant at) implements Outcome {}

  /** Paid within the hold: the seats are sold. */
  record Confirmed(Reservation reservation, String paymentId) implements Outcome {}

  /** The buyer or the organizer cancelled; the seats are back on sale. */
  record Cancelled(Reservation reservation, String reason) implements Outcome {}

  /**
   * A waiting-list entry changed: on the list (WAITING, with its place), seats held for it
   * (OFFERED, {@code reservation} the hold), paid (CLAIMED), the offer ended unpaid or the buyer
   * could no longer take the seats (LAPSED), or not taken on the list (REFUSED). Keyed by the
   * entry.
   *
   * @param reservation the hold of the seats offered, or null before they are
   * @param position the entry's place on the list when WAITING, else 0
   * @param detail why it was refused or lapsed, or null
   */
  record ListUpdated(WaitingEntry entry, Reservation reservation, int position, String detail)
      implements Outcome {

    @Override
    public ReservationId reservationId() {
      return new ReservationId(entry.id());
    }
  }

  /** The id its event is keyed by: the reservation's, or the waiting-list entry's. */
  default ReservationId reservationId() {
    return reservation().id();
  }
}
