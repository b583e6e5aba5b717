package io.guichet.ticketing.domain;

import java.time.Instant;

/**
 * One seat's ticket.
 *
 * @param keyId the event key that signs its payload
 * @param keyFingerprint SHA-256 of its final key (published; the key is not)
 * @param generation 0 for the ticket issued on the purchase, one more for each transfer of the seat
 * @param purchaseId the id its purchase key is kept under: the reservation's, or for a ticket
 *     issued on a transfer, the transfer's
 * @param transferredFrom the ticket this one replaced on a transfer, or null
 * @param seat the seat it admits to, for an offer sold by seat; null for general admission
 */
public record Ticket(
    String ticketId,
    String reservationId,
    String eventId,
    String offerId,
    String customerId,
    int seatIndex,
    String keyId,
    String keyFingerprint,
    Status status,
    String revokeReason,
    Instant issuedAt,
    int generation,
    String purchaseId,
    String transferredFrom,
    Seat seat) {

  /** A seat as the event's seat map names it. */
  public record Seat(String section, String row, String seat) {

    @Override
    public String toString() {
      return section + " " + row + "-" + seat;
    }
  }

  public enum Status {
    ISSUED,
    REVOKED
  }
}
