package io.guichet.booking.application;

import io.guichet.booking.domain.SeatMap.SeatRef;
import java.time.Instant;
import java.util.List;

/**
 * A reservation as a buyer follows it.
 *
 * @param reservationId the reservation
 * @param event the event
 * @param offer the offer
 * @param customer the buyer
 * @param quantity tickets asked for (unknown until the request or the hold is seen)
 * @param status REQUESTED, HELD, CONFIRMED, REJECTED, EXPIRED or CANCELLED
 * @param seats seats held or sold
 * @param amountMinor what to pay, in minor units
 * @param currency ISO 4217 currency of the amount
 * @param expiresAt when an unpaid hold ends
 * @param reason why it was rejected or cancelled
 * @param detail an explanation for a person
 * @param updatedAt when the status last changed
 * @param version grows with each change of status
 * @param assignedSeats the seats held or sold, for an offer sold by seat (empty otherwise)
 */
public record ReservationView(
    String reservationId,
    String event,
    String offer,
    String customer,
    Integer quantity,
    String status,
    Integer seats,
    Long amountMinor,
    String currency,
    Instant expiresAt,
    String reason,
    String detail,
    Instant updatedAt,
    int version,
    List<SeatRef> assignedSeats) {

  public ReservationView {
    assignedSeats = assignedSeats == null ? List.of() : List.copyOf(assignedSeats);
  }

  /** Whether the status can still change. */
  public boolean settled() {
    return !status.equals("REQUESTED") && !status.equals("HELD");
  }
}
