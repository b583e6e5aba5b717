package io.guichet.payment.application;

import io.guichet.payment.domain.Payable;
import io.guichet.payment.domain.Payment;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Payment's tables: the reservations it may charge, and the payments. */
public interface PaymentStore {

  Mono<Payable> payable(String reservationId);

  /**
   * Records a new processing attempt, unless the reservation already has one processing or
   * captured: then that one is returned instead (and nothing is written).
   */
  Mono<Started> start(Payment attempt);

  /** What {@link #start} did. */
  record Started(Payment payment, boolean isNew) {}

  /**
   * Records the provider's answer for a processing payment and, in the same transaction, publishes
   * PaymentCaptured or PaymentFailed through the outbox. A payment no longer processing is left as
   * it is (its outcome was already recorded): the answer is its current state.
   */
  Mono<Payment> complete(String paymentId, ProviderResult result, Instant at);

  Mono<Payment> payment(String paymentId);

  /** The attempt number the next attempt for this reservation gets. */
  Mono<Integer> nextAttempt(String reservationId);

  /** A refund owed: the captured payment and why it is given back. */
  record OwedRefund(Payment payment, String reason) {}

  /** Refunds owed and not yet made, oldest first. */
  Flux<OwedRefund> owedRefunds(int limit);

  /**
   * Records a refund the provider made and, in the same transaction, publishes PaymentRefunded;
   * once only, however often it is called.
   */
  Mono<Void> refunded(OwedRefund owed, String refundId, Instant at);

  /** The attempt a provider's idempotency key names ({@code guichet-<reservation>-<attempt>}). */
  Mono<Payment> paymentByKey(String idempotencyKey);

  /**
   * The provider reports a charge of an attempt recorded as failed (it gave up waiting): the money
   * is owed back. Records the charge's reference and a refund owed, once.
   */
  Mono<Void> oweRefundOfLateCharge(Payment payment, String reference, String reason);

  /** Records a provider event as applied; false when it already was (a redelivery). */
  Mono<Boolean> firstDelivery(String providerEventId);

  /** Payments still processing that were started before this instant. */
  Flux<Payment> processingSince(Instant before);
}
