package io.guichet.payment.application;

import io.guichet.payment.domain.Payment.FailureReason;

/** What the payment provider answered for a charge. */
public sealed interface ProviderResult {

  record Captured(String reference) implements ProviderResult {}

  record Failed(FailureReason reason, String detail) implements ProviderResult {}

  /**
   * The provider took the charge but has not decided it yet (Stripe's {@code processing}); its
   * webhook, or recovery, completes it.
   */
  record Pending(String reference) implements ProviderResult {}
}
