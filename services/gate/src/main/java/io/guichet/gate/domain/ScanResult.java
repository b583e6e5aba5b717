package io.guichet.gate.domain;

import java.time.Instant;

/**
 * What a scan decided.
 *
 * @param ticketId null when the payload named none that could be trusted
 * @param reason null when accepted
 * @param firstScannedAt for ALREADY_USED: when the ticket was accepted
 * @param firstGate for ALREADY_USED: where
 */
public record ScanResult(
    String scanId,
    String ticketId,
    String eventId,
    String gate,
    Outcome outcome,
    Reason reason,
    String detail,
    Instant firstScannedAt,
    String firstGate,
    Instant scannedAt) {

  public enum Outcome {
    ACCEPTED,
    REJECTED
  }

  public enum Reason {
    ALREADY_USED,
    REVOKED,
    FORGED,
    WRONG_EVENT,
    OTHER,
    /** A genuine rotating code of another time: a screenshot, or a clock far off. */
    EXPIRED_CODE,
    /** Accepted by two scanners while they were offline: reported when they sync. */
    DUPLICATE_OFFLINE
  }
}
