package io.guichet.ticketing.domain;

import java.time.Instant;

/**
 * One seat's ticket.
 *
 * @param keyId the event key that signs its payload
 * @param keyFingerprint SHA-256 of its final key (published; the key is not)
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
    Instant issuedAt) {

  public enum Status {
    ISSUED,
    REVOKED
  }
}
