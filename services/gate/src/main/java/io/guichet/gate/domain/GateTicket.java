package io.guichet.gate.domain;

import java.time.Instant;

/**
 * A ticket as the gate knows it from ticketing's events.
 *
 * @param codeKey the key of its rotating codes, or null for a ticket issued before them
 */
public record GateTicket(
    String ticketId,
    String eventId,
    String keyId,
    String keyFingerprint,
    byte[] codeKey,
    boolean revoked,
    Instant firstScannedAt,
    String firstGate) {}
