package io.guichet.payment.application;

import io.guichet.payment.application.PaymentProvider.ProviderTimeout;
import io.guichet.payment.application.PaymentProvider.ProviderUnavailable;
import io.guichet.payment.domain.Payable;
import io.guichet.payment.domain.Payment;
import io.guichet.payment.domain.Payment.FailureReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Pays held reservations. A reservation is charged at most once: an attempt is recorded before the
 * provider is called (at most one processing or captured per reservation), the provider gets an
 * idempotency key derived from the reservation, and the outcome is recorded with its event in one
 * transaction. An attempt left processing (a timeout, a crash after the call) is completed later by
 * {@link #recover}, asking the provider again with the same key.
 */
public final class PaymentCommands {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentCommands.class);

  private final PaymentStore store;
  private final PaymentProvider provider;
  private final Clock clock;

  public PaymentCommands(PaymentStore store, PaymentProvider provider, Clock clock) {
    this.store = store;
    this.provider = provider;
    this.clock = clock;
  }

  public Mono<PayResult> pay(PayCommand command) {
    // Someone else's reservation is answered as an unknown one.
    return store
        .payable(command.reservationId())
        .filter(payable -> payable.customerId().equals(command.payer()))
        .flatMap(payable -> pay(payable, command))
        .switchIfEmpty(
            Mono.fromSupplier(() -> new PayResult.UnknownReservation(command.reservationId())));
  }

  private Mono<PayResult> pay(Payable payable, PayCommand command) {
    var refusal = payable.refusal(command.amountMinor(), command.currency(), clock.instant());
    if (refusal.isPresent()) {
      return Mono.just(new PayResult.Refused(refusal.get()));
    }
    if (!provider.available()) {
      return Mono.just(new PayResult.Unavailable(Duration.ofSeconds(5)));
    }
    return store
        .nextAttempt(payable.reservationId())
        .map(attempt -> attempt(payable, command, attempt))
        .flatMap(store::start)
        .flatMap(
            started ->
                started.isNew()
                    ? charge(started.payment(), command.paymentMethod())
                    : Mono.just(new PayResult.Done(started.payment(), false)));
  }

  private Payment attempt(Payable payable, PayCommand command, int attempt) {
    return new Payment(
        UUID.randomUUID().toString(),
        payable.reservationId(),
        attempt,
        payable.amountMinor(),
        payable.currency(),
        command.maskedMethod(),
        Payment.Status.PROCESSING,
        null,
        null,
        provider.name(),
        null,
        clock.instant());
  }

  private Mono<PayResult> charge(Payment payment, String paymentMethod) {
    return provider
        .charge(
            new PaymentProvider.Charge(
                payment.idempotencyKey(),
                payment.reservationId(),
                payment.amountMinor(),
                payment.currency(),
                paymentMethod))
        .flatMap(
            result ->
                result instanceof ProviderResult.Pending
                    ? Mono.just(payment)
                    : store.complete(payment.paymentId(), result, clock.instant()))
        .<PayResult>map(done -> new PayResult.Done(done, true))
        .onErrorResume(
            ProviderTimeout.class,
            e -> {
              // The charge may have happened: the attempt stays processing for recovery.
              LOG.warn("payment {}: {}", payment.paymentId(), e.getMessage());
              return Mono.just(new PayResult.Done(payment, true));
            })
        .onErrorResume(
            ProviderUnavailable.class,
            e ->
                // The circuit opened between the check and the call: nothing was charged.
                store
                    .complete(
                        payment.paymentId(),
                        new ProviderResult.Failed(
                            FailureReason.PROVIDER_ERROR, "the payment provider is unavailable"),
                        clock.instant())
                    .thenReturn(new PayResult.Unavailable(e.retryAfter())));
  }

  /**
   * Completes attempts left processing since before {@code olderThan} ago (a provider timeout, a
   * crash between the call and the record): the provider is asked what it did under the attempt's
   * idempotency key. A charge it made is recorded (and published) once; no charge at all means the
   * attempt failed, and the buyer may try again. A provider that still does not answer is asked
   * again at the next run.
   */
  public Mono<Long> recover(Duration olderThan) {
    if (!provider.healthy()) {
      // A provider that is failing is not probed by background retries; buyers' requests do it.
      return Mono.just(0L);
    }
    Instant now = clock.instant();
    return store
        .processingSince(now.minus(olderThan))
        .concatMap(payment -> recover(payment, now))
        .count();
  }

  private Mono<Payment> recover(Payment payment, Instant now) {
    return provider
        .lookup(payment.idempotencyKey())
        .defaultIfEmpty(
            new ProviderResult.Failed(
                FailureReason.PROVIDER_TIMEOUT, "the payment provider made no charge"))
        .filter(result -> !(result instanceof ProviderResult.Pending))
        .flatMap(result -> store.complete(payment.paymentId(), result, now))
        .onErrorResume(
            e -> e instanceof ProviderTimeout || e instanceof ProviderUnavailable,
            e -> Mono.empty());
  }

  /**
   * Gives back the payments that are owed a refund (booking rejected them, or their event was
   * cancelled). The provider gets one idempotency key per payment, so a refund retried after a
   * crash or a timeout is made once; a refund the provider does not answer is tried again at the
   * next run.
   */
  public Mono<Long> refundOwed() {
    if (!provider.healthy()) {
      return Mono.just(0L);
    }
    return store
        .owedRefunds(500)
        .concatMap(
            owed ->
                provider
                    .refund(
                        new PaymentProvider.Refund(
                            owed.payment().refundKey(),
                            owed.payment().providerReference(),
                            owed.payment().amountMinor(),
                            owed.payment().currency()))
                    .flatMap(refundId -> store.refunded(owed, refundId, clock.instant()))
                    .thenReturn(owed)
                    .onErrorResume(
                        e -> e instanceof ProviderTimeout || e instanceof ProviderUnavailable,
                        e -> {
                          LOG.warn("refund of {}: {}", owed.payment().paymentId(), e.getMessage());
                          return Mono.empty();
                        }))
        .count();
  }

  /** What a provider's report (a webhook) did. */
  public enum Report {
    /** It completed a payment, or told nothing new. */
    APPLIED,
    /** The same report was applied before. */
    DUPLICATE,
    /** It names no payment of ours. */
    UNKNOWN_PAYMENT
  }

  /**
   * The provider reports the outcome of the charge made under this idempotency key (a webhook). A
   * payment still processing is completed with it, once: its event is published once, however often
   * the report comes, and whether the buyer's request, recovery or the report got there first. A
   * charge reported for an attempt already given up is refunded.
   */
  public Mono<Report> providerReported(
      String providerEventId, String idempotencyKey, ProviderResult result) {
    return store
        .paymentByKey(idempotencyKey)
        .flatMap(payment -> apply(payment, result).then(store.firstDelivery(providerEventId)))
        .map(first -> first ? Report.APPLIED : Report.DUPLICATE)
        .defaultIfEmpty(Report.UNKNOWN_PAYMENT);
  }

  private Mono<Void> apply(Payment payment, ProviderResult result) {
    if (result instanceof ProviderResult.Pending) {
      return Mono.empty();
    }
    if (payment.status() == Payment.Status.PROCESSING) {
      return store.complete(payment.paymentId(), result, clock.instant()).then();
    }
    if (payment.status() == Payment.Status.FAILED
        && result instanceof ProviderResult.Captured captured) {
      return store.oweRefundOfLateCharge(
          payment,
          captured.reference(),
          "the provider captured the charge after the attempt was given up");
    }
    return Mono.empty();
  }

  /**
   * A payment, if {@code mayView} accepts the customer of its reservation; empty otherwise, as for
   * an unknown payment.
   */
  public Mono<Payment> payment(String paymentId, Predicate<String> mayView) {
    return store
        .payment(paymentId)
        .filterWhen(
            payment ->
                store
                    .payable(payment.reservationId())
                    .map(payable -> mayView.test(payable.customerId()))
                    .defaultIfEmpty(false));
  }
}
