package io.guichet.payment.application;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** A payment provider (the simulated one, Stripe). */
public interface PaymentProvider {

  /**
   * A charge. The provider must treat a repeated idempotency key as the same charge (answering the
   * first result), which is what makes a retry after a crash or a timeout safe.
   *
   * @param paymentMethod as the buyer gave it (a test card number, a provider's payment method id)
   */
  record Charge(
      String idempotencyKey,
      String reservationId,
      long amountMinor,
      String currency,
      String paymentMethod) {}

  /** Its name in published events ("simulated", "stripe"). */
  String name();

  /**
   * Charges, or fails with {@link ProviderTimeout} when no answer came in time (the charge may or
   * may not have happened) or {@link ProviderUnavailable} when it is not even tried.
   */
  Mono<ProviderResult> charge(Charge charge);

  /**
   * The outcome of the charge made under this idempotency key, or empty when the provider made none
   * (the request never reached it). Fails like {@link #charge}.
   */
  Mono<ProviderResult> lookup(String idempotencyKey);

  /** Whether a call would be tried now (false while the circuit is open). */
  boolean available();

  /** No answer in time: the outcome of the charge is unknown. */
  final class ProviderTimeout extends RuntimeException {
    public ProviderTimeout(String message) {
      super(message);
    }
  }

  /** The provider is not called (its circuit is open); try again after the given time. */
  final class ProviderUnavailable extends RuntimeException {
    private final Duration retryAfter;

    public ProviderUnavailable(String message, Duration retryAfter) {
      super(message);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }
}
