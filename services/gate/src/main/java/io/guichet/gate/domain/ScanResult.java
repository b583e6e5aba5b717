package io.guichet.gate.domain;

import java.time.Instant;

/**
 * What a scan decided.
 *
 * @param ticketId null when the payload named none that could be trusted
 * @param reason null when accepted
 * @param firstScannedAt for ALREADY_USED and DUPLICATE_OFFLINE: when the ticket was accepted
 * @param firstGate for ALREADY_USED and DUPLICATE_OFFLINE: where
 * @param scannedAt when it was scanned (for an offline scan, the device's time)
 * @param device for a scan made offline and synced later, the device; null online
 * @param seat the seat the ticket admits to ("Stalls A-6"), when it was accepted or already used
 *     and is sold by seat; null otherwise
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
    Instant scannedAt,
    String device,
    String seat) {

  /** A verdict that names no seat. */
  public ScanResult(
      String scanId,
      String ticketId,
      String eventId,
      String gate,
      Outcome outcome,
      Reason reason,
      String detail,
      Instant firstScannedAt,
      String firstGate,
      Instant scannedAt,
      String device) {
    this(
        scanId,
        ticketId,
        eventId,
        gate,
        outcome,
        reason,
        detail,
        firstScannedAt,
        firstGate,
        scannedAt,
        device,
        null);
  }

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
    /**
     * Let in by a scanner while it was offline although the ticket had already been used (by an
     * online scan or another offline device): a double entry, reported when the device syncs.
     */
    DUPLICATE_OFFLINE,
    /** A static code of an event whose tickets show the rotating code only. */
    STATIC_CODE_REFUSED
  }
}
