package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.SeatMap.SeatRef;
import java.time.Instant;
import java.util.List;

/**
 * A reservation as the allocator decided it. Rejected ones are kept too, so that a request
 * delivered twice is answered once.
 *
 * @param quantity tickets
 * @param seats seats (tickets times seats per ticket)
 * @param amount price of the tickets
 * @param expiresAt end of the hold (null when rejected)
 * @param accessCode the id of the access code its tickets used, or null
 * @param waitingListEntry the waiting-list entry it holds seats for, or null
 * @param assignedSeats the seats it holds or bought, for an offer sold by seat (issue 21); empty
 *     otherwise
 */
public record Reservation(
    ReservationId id,
    EventId event,
    OfferId offer,
    CustomerId customer,
    int quantity,
    int seats,
    Money amount,
    Instant expiresAt,
    Status status,
    String accessCode,
    String waitingListEntry,
    List<SeatRef> assignedSeats) {

  public Reservation {
    assignedSeats = assignedSeats == null ? List.of() : List.copyOf(assignedSeats);
  }

  /** A reservation of a general-admission offer (no seat of its own). */
  public Reservation(
      ReservationId id,
      EventId event,
      OfferId offer,
      CustomerId customer,
      int quantity,
      int seats,
      Money amount,
      Instant expiresAt,
      Status status,
      String accessCode,
      String waitingListEntry) {
    this(
        id,
        event,
        offer,
        customer,
        quantity,
        seats,
        amount,
        expiresAt,
        status,
        accessCode,
        waitingListEntry,
        List.of());
  }

  /** A reservation without an access code. */
  public Reservation(
      ReservationId id,
      EventId event,
      OfferId offer,
      CustomerId customer,
      int quantity,
      int seats,
      Money amount,
      Instant expiresAt,
      Status status) {
    this(id, event, offer, customer, quantity, seats, amount, expiresAt, status, null, null);
  }

  /** Where a reservation stands; only HELD and CONFIRMED take seats. */
  public enum Status {
    HELD,
    CONFIRMED,
    EXPIRED,
    CANCELLED,
    REJECTED;

    public boolean takesSeats() {
      return this == HELD || this == CONFIRMED;
    }
  }

  public Reservation with(Status next) {
    return new Reservation(
        id,
        event,
        offer,
        customer,
        quantity,
        seats,
        amount,
        expiresAt,
        next,
        accessCode,
        waitingListEntry,
        assignedSeats);
  }

  /** Whether the hold has run out at this instant (it ends exactly at expiresAt). */
  public boolean expiredAt(Instant now) {
    return status == Status.HELD && !now.isBefore(expiresAt);
  }
}
