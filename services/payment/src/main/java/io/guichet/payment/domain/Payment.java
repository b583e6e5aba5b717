package io.guichet.payment.domain;

import java.time.Instant;

/**
 * One attempt to pay a reservation. At most one attempt per reservation is processing or captured
 * at a time, so a reservation is charged at most once; a failed attempt lets the buyer try another
 * card.
 *
 * @param method how it was paid, masked ("card ending 4242"): never the card number
 * @param providerReference the provider's id for the charge, once captured
 */
public record Payment(
    String paymentId,
    String reservationId,
    int attempt,
    long amountMinor,
    String currency,
    String method,
    Status status,
    FailureReason failureReason,
    String failureDetail,
    String provider,
    String providerReference,
    Instant createdAt) {

  public enum Status {
    /** Sent to the provider; the outcome is not known yet. */
    PROCESSING,
    CAPTURED,
    FAILED,
    /** Captured, then given back (booking rejected the payment, or the event was cancelled). */
    REFUNDED
  }

  public enum FailureReason {
    DECLINED,
    INSUFFICIENT_FUNDS,
    PROVIDER_TIMEOUT,
    PROVIDER_ERROR
  }

  /**
   * The provider's idempotency key: derived from the reservation, so a retry cannot charge twice.
   */
  public String idempotencyKey() {
    return "guichet-" + reservationId + "-" + attempt;
  }

  /** The refund's idempotency key: one refund per payment, however often it is tried. */
  public String refundKey() {
    return "guichet-refund-" + paymentId;
  }
}
