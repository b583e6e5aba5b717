package io.guichet.query.domain;

import java.time.Instant;

/**
 * A double entry: a ticket a scanner let in while offline although it had already been used, found
 * when the scanner synced.
 *
 * @param scannedAt when the offline scanner let it in (the device's time)
 * @param firstScannedAt when, and {@code firstGate} where, the ticket had been let in first
 */
public record OfflineDuplicate(
    String scanId,
    String ticketId,
    String gate,
    String device,
    Instant scannedAt,
    Instant firstScannedAt,
    String firstGate) {}
