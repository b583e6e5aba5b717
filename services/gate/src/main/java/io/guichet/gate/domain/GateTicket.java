package io.guichet.gate.domain;

import java.time.Instant;

/** A ticket as the gate knows it from ticketing's events. */
public record GateTicket(
    String ticketId,
    String eventId,
    String keyId,
    String keyFingerprint,
    boolean revoked,
    Instant firstScannedAt,
    String firstGate) {}
