package io.guichet.payment.adapter.out.provider;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.guichet.payment.application.PaymentProvider;
import io.guichet.payment.application.ProviderResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * A provider behind a timeout and a circuit breaker (Resilience4j): a call that does not answer in
 * time fails with {@link ProviderTimeout}; when too many calls fail or time out, the circuit opens
 * and calls fail at once with {@link ProviderUnavailable} until it has waited, then lets a few
 * through to see whether the provider is back. A declined card is an answer, not a failure.
 *
 * <p>Every call is timed as {@value #LATENCY_METER}, tagged with the provider, the operation and
 * what came of it (captured, failed, pending, done, timeout, circuit_open, error); {@value
 * #CIRCUIT_METER} is 0 while the circuit is closed, 1 half open, 2 open.
 */
public final class GuardedProvider implements PaymentProvider {

  public static final String LATENCY_METER = "guichet.payment.provider";
  public static final String CIRCUIT_METER = "guichet.payment.provider.circuit";

  private final PaymentProvider provider;
  private final CircuitBreaker breaker;
  private final Duration timeout;
  private final Duration openFor;
  private final MeterRegistry registry;

  public GuardedProvider(
      PaymentProvider provider,
      CircuitBreaker breaker,
      Duration timeout,
      Duration openFor,
      MeterRegistry registry) {
    this.provider = provider;
    this.breaker = breaker;
    this.timeout = timeout;
    this.openFor = openFor;
    this.registry = registry;
    Gauge.builder(CIRCUIT_METER, breaker, GuardedProvider::circuit)
        .description("The payment provider's circuit: 0 closed, 1 half open, 2 open")
        .tag("provider", provider.name())
        .register(registry);
    // The charge's usual answer exists from the start, so that a dashboard has a series to read.
    timer("charge", "captured");
  }

  private static double circuit(CircuitBreaker breaker) {
    switch (breaker.getState()) {
      case CLOSED:
      case DISABLED:
      case METRICS_ONLY:
        return 0;
      case HALF_OPEN:
        return 1;
      default:
        return 2;
    }
  }

  private Timer timer(String operation, String outcome) {
    return Timer.builder(LATENCY_METER)
        .description("Calls to the payment provider, by operation and outcome")
        .tag("provider", provider.name())
        .tag("operation", operation)
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public String name() {
    return provider.name();
  }

  @Override
  public Mono<ProviderResult> charge(Charge charge) {
    return guard("charge", Mono.defer(() -> provider.charge(charge)));
  }

  @Override
  public Mono<ProviderResult> lookup(String idempotencyKey) {
    return guard("lookup", Mono.defer(() -> provider.lookup(idempotencyKey)));
  }

  @Override
  public Mono<String> refund(Refund refund) {
    return guard("refund", Mono.defer(() -> provider.refund(refund)));
  }

  private <T> Mono<T> guard(String operation, Mono<T> call) {
    return Mono.defer(
        () -> {
          long started = System.nanoTime();
          return call.timeout(timeout)
              .transformDeferred(CircuitBreakerOperator.of(breaker))
              .onErrorMap(
                  TimeoutException.class,
                  e -> new ProviderTimeout("the payment provider did not answer within " + timeout))
              .onErrorMap(
                  CallNotPermittedException.class,
                  e -> new ProviderUnavailable("the payment provider's circuit is open", openFor))
              .doOnSuccess(answer -> time(operation, outcome(answer), started))
              .doOnError(failure -> time(operation, outcome(failure), started));
        });
  }

  private void time(String operation, String outcome, long started) {
    timer(operation, outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  private static String outcome(Object answer) {
    if (answer instanceof ProviderResult.Captured) {
      return "captured";
    }
    if (answer instanceof ProviderResult.Failed) {
      return "failed";
    }
    if (answer instanceof ProviderResult.Pending) {
      return "pending";
    }
    return "done";
  }

  private static String outcome(Throwable failure) {
    if (failure instanceof ProviderTimeout) {
      return "timeout";
    }
    if (failure instanceof ProviderUnavailable) {
      return "circuit_open";
    }
    return "error";
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
