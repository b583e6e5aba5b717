package io.guichet.payment.adapter.out.provider;

import io.guichet.payment.application.PaymentProvider;
import io.guichet.payment.application.ProviderResult;
import io.guichet.payment.domain.Payment.FailureReason;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * The standalone default: a provider in memory that answers by test card, like a provider's test
 * mode, and keeps its charges by idempotency key (a key seen again gets the first answer and no new
 * charge).
 *
 * <ul>
 *   <li>{@code 4242424242424242} or {@code pm_card_visa}: captured;
 *   <li>{@code 4000000000000002} or {@code pm_card_chargeDeclined}: declined;
 *   <li>{@code 4000000000009995} or {@code pm_card_chargeDeclinedInsufficientFunds}: insufficient
 *       funds;
 *   <li>{@code 4000000000000119}: the provider never answers (a timeout; nothing is charged);
 *   <li>any other card number: captured.
 * </ul>
 */
public final class SimulatedProvider implements PaymentProvider {

  public static final String SUCCESS = "4242424242424242";
  public static final String DECLINED = "4000000000000002";
  public static final String INSUFFICIENT_FUNDS = "4000000000009995";
  public static final String TIMEOUT = "4000000000000119";

  private final Map<String, ProviderResult> byKey = new ConcurrentHashMap<>();
  private final AtomicInteger charges = new AtomicInteger();
  private final Map<String, String> refundsByKey = new ConcurrentHashMap<>();
  private final AtomicInteger refunds = new AtomicInteger();

  @Override
  public String name() {
    return "simulated";
  }

  @Override
  public Mono<ProviderResult> charge(Charge charge) {
    String method = charge.paymentMethod();
    if (TIMEOUT.equals(method)) {
      return Mono.never();
    }
    return Mono.fromSupplier(
        () -> byKey.computeIfAbsent(charge.idempotencyKey(), key -> decide(method)));
  }

  private ProviderResult decide(String method) {
    switch (method) {
      case DECLINED:
      case "pm_card_chargeDeclined":
        return new ProviderResult.Failed(FailureReason.DECLINED, "Your card was declined.");
      case INSUFFICIENT_FUNDS:
      case "pm_card_chargeDeclinedInsufficientFunds":
        return new ProviderResult.Failed(
            FailureReason.INSUFFICIENT_FUNDS, "Your card has insufficient funds.");
      default:
        charges.incrementAndGet();
        return new ProviderResult.Captured("sim_" + UUID.randomUUID());
    }
  }

  @Override
  public Mono<String> refund(Refund refund) {
    return Mono.fromSupplier(
        () ->
            refundsByKey.computeIfAbsent(
                refund.idempotencyKey(),
                key -> {
                  refunds.incrementAndGet();
                  return "sim_re_" + UUID.randomUUID();
                }));
  }

  @Override
  public Mono<ProviderResult> lookup(String idempotencyKey) {
    return Mono.justOrEmpty(byKey.get(idempotencyKey));
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public boolean healthy() {
    return true;
  }

  /** How many refunds gave money back. */
  public int refunds() {
    return refunds.get();
  }

  /** How many charges took money: what a test counts to prove nothing was charged twice. */
  public int charges() {
    return charges.get();
  }
}
