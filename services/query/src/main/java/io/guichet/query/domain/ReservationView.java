package io.guichet.query.domain;

import java.time.Instant;
import java.util.List;

/**
 * A reservation as its buyer sees it.
 *
 * @param payment CAPTURED, FAILED or REFUNDED once payment said so, else null
 * @param reason why it was rejected, cancelled, or its payment failed
 * @param version grows with every change, for clients to tell changes apart
 * @param accessCodeId the access code its tickets used (its id), if any
 * @param assignedSeats the seats held or sold, for an event sold by seat (empty otherwise)
 */
public record ReservationView(
    String reservationId,
    String customerId,
    String eventId,
    String offerId,
    ReservationStatus status,
    Integer quantity,
    Integer seats,
    Long amountMinor,
    String currency,
    Instant expiresAt,
    String payment,
    String reason,
    long refundedMinor,
    Instant createdAt,
    Instant updatedAt,
    int version,
    String accessCodeId,
    List<Seat> assignedSeats) {

  public ReservationView {
    assignedSeats = assignedSeats == null ? List.of() : List.copyOf(assignedSeats);
  }
}
