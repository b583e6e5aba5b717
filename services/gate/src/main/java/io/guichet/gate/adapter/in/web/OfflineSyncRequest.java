package io.guichet.gate.adapter.in.web;

import io.guichet.web.constraints.Identifier;
import io.guichet.web.constraints.Moment;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code POST /scans/offline}: the scans a device made while offline, in its order.
 *
 * @param device the scanner device (an id it keeps)
 * @param event the event scanned for; a scanner bound to one event may leave it out
 */
record OfflineSyncRequest(
    @NotNull(message = "is required") @Identifier String device,
    @Identifier String event,
    @NotNull(message = "is required")
        @Size(min = 1, max = 1_000, message = "must hold 1 to 1000 scans")
        List<@NotNull(message = "is required") @Valid Scan> scans) {

  /** What the device decided offline. */
  enum Decision {
    ACCEPTED,
    REJECTED
  }

  /** Why the device refused a scan, as its app names it. */
  enum DeviceReason {
    ALREADY_USED,
    REVOKED,
    FORGED,
    WRONG_EVENT,
    EXPIRED_CODE,
    STATIC_CODE_REFUSED,
    OTHER
  }

  /**
   * One offline scan.
   *
   * @param scanId the device's id for the scan, the same at every sync
   * @param payload the code it read
   * @param scannedAt the device's time of the scan
   * @param outcome whether the device let the holder in
   * @param reason why it refused (for REJECTED)
   */
  record Scan(
      @NotNull(message = "is required") @Identifier String scanId,
      @NotNull(message = "is required")
          @Size(min = 1, max = 2_000, message = "must be 1 to 2000 characters")
          String payload,
      @NotNull(message = "is required") @Identifier String gate,
      @NotNull(message = "is required") @Moment Instant scannedAt,
      @NotNull(message = "is required") Decision outcome,
      DeviceReason reason) {}
}
