package io.guichet.query.domain;

import java.time.Instant;

/**
 * A ticket as its holder sees it, with its first accepted scan.
 *
 * @param status ISSUED or REVOKED
 */
public record TicketView(
    String ticketId,
    String reservationId,
    String customerId,
    String eventId,
    String offerId,
    Integer seatIndex,
    String status,
    String revocationReason,
    Instant issuedAt,
    Instant revokedAt,
    Instant scannedAt,
    String scannedGate) {}
