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

  /**
   * A refund of a captured charge, in full.
   *
   * @param providerReference the provider's id of the charge
   */
  record Refund(
      String idempotencyKey, String providerReference, long amountMinor, String currency) {}

  /** Its name in published events ("simulated", "stripe"). */
  String name();

  /**
   * Charges, or fails with {@link ProviderTimeout} when no answer came in time (the charge may or
   * may not have happened) or {@link ProviderUnavailable} when it is not even tried.
   */
  Mono<ProviderResult> charge(Charge charge);

  /**
   * Gives a charge back; answers the provider's id of the refund. A repeated idempotency key is the
   * same refund. Fails like {@link #charge}.
   */
  Mono<String> refund(Refund refund);

  /**
   * The outcome of the charge made under this idempotency key, or empty when the provider made none
   * (the request never reached it). Fails like {@link #charge}.
   */
  Mono<ProviderResult> lookup(String idempotencyKey);

  /** Whether a call would be tried now (false while the circuit is open). */
  boolean available();

  /**
   * Whether calls go through as usual (the circuit is closed, not open nor on trial). Background
   * work (recovery, refunds) waits for this, so that it never spends the trial calls that decide
   * whether a failing provider is back: buyers' requests do.
   */
  boolean healthy();

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
