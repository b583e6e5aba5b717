package io.guichet.gate.domain;

import java.time.Instant;

/**
 * A ticket as the gate knows it from ticketing's events.
 *
 * @param codeKey the key of its rotating codes, or null for a ticket issued before them
 * @param staticCodes whether its event's organizer lets it be shown as a static code
 * @param seat the seat it admits to ("Stalls A-6"), or null for general admission
 */
public record GateTicket(
    String ticketId,
    String eventId,
    String keyId,
    String keyFingerprint,
    byte[] codeKey,
    boolean staticCodes,
    boolean revoked,
    Instant firstScannedAt,
    String firstGate,
    String seat) {}
