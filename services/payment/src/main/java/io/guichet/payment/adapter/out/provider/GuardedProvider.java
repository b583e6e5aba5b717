package io.guichet.payment.adapter.out.provider;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.guichet.payment.application.PaymentProvider;
import io.guichet.payment.application.ProviderResult;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * A provider behind a timeout and a circuit breaker (Resilience4j): a call that does not answer in
 * time fails with {@link ProviderTimeout}; when too many calls fail or time out, the circuit opens
 * and calls fail at once with {@link ProviderUnavailable} until it has waited, then lets a few
 * through to see whether the provider is back. A declined card is an answer, not a failure.
 */
public final class GuardedProvider implements PaymentProvider {

  private final PaymentProvider provider;
  private final CircuitBreaker breaker;
  private final Duration timeout;
  private final Duration openFor;

  public GuardedProvider(
      PaymentProvider provider, CircuitBreaker breaker, Duration timeout, Duration openFor) {
    this.provider = provider;
    this.breaker = breaker;
    this.timeout = timeout;
    this.openFor = openFor;
  }

  @Override
  public String name() {
    return provider.name();
  }

  @Override
  public Mono<ProviderResult> charge(Charge charge) {
    return guard(Mono.defer(() -> provider.charge(charge)));
  }

  @Override
  public Mono<ProviderResult> lookup(String idempotencyKey) {
    return guard(Mono.defer(() -> provider.lookup(idempotencyKey)));
  }

  @Override
  public Mono<String> refund(Refund refund) {
    return guard(Mono.defer(() -> provider.refund(refund)));
  }

  private <T> Mono<T> guard(Mono<T> call) {
    return call.timeout(timeout)
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorMap(
            TimeoutException.class,
            e -> new ProviderTimeout("the payment provider did not answer within " + timeout))
        .onErrorMap(
            CallNotPermittedException.class,
            e -> new ProviderUnavailable("the payment provider's circuit is open", openFor));
  }

  @Override
  public boolean available() {
    return breaker.getState() != CircuitBreaker.State.OPEN
        && breaker.getState() != CircuitBreaker.State.FORCED_OPEN;
  }

  @Override
  public boolean healthy() {
    return provider.healthy() && breaker.getState() == CircuitBreaker.State.CLOSED;
  }

  public CircuitBreaker.State state() {
    return breaker.getState();
  }
}
