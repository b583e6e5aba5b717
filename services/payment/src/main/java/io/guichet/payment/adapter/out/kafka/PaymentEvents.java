package io.guichet.payment.adapter.out.kafka;

import io.guichet.events.payment.PaymentCaptured;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentFailureReason;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.payment.domain.Payable;
import io.guichet.payment.domain.Payment;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** Payment's facts as Avro events, keyed by reservation id on {@code payment.payments}. */
public final class PaymentEvents {

  /** The event types payment publishes, for the outbox's schema warm-up. */
  public static final List<Class<? extends SpecificRecord>> TYPES =
      List.of(PaymentCaptured.class, PaymentFailed.class, PaymentRefunded.class);

  private PaymentEvents() {}

  /** PaymentRefunded: a captured payment given back. */
  public static PaymentRefunded refunded(
      Payment payment, Payable payable, String refundId, String reason, Instant at) {
    return PaymentRefunded.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(at)
        .setPaymentId(payment.paymentId())
        .setReservationId(payment.reservationId())
        .setEventId(payable.eventId())
        .setCustomerId(payable.customerId())
        .setAmountMinor(payment.amountMinor())
        .setCurrency(payment.currency())
        .setRefundId(refundId)
        .setReason(reason)
        .build();
  }

  /** PaymentCaptured or PaymentFailed for a completed payment. */
  public static SpecificRecord toEvent(Payment payment, Payable payable, Instant at) {
    if (payment.status() == Payment.Status.CAPTURED) {
      return PaymentCaptured.newBuilder()
          .setId(UUID.randomUUID().toString())
          .setOccurredAt(at)
          .setPaymentId(payment.paymentId())
          .setReservationId(payment.reservationId())
          .setEventId(payable.eventId())
          .setCustomerId(payable.customerId())
          .setAmountMinor(payment.amountMinor())
          .setCurrency(payment.currency())
          .setProvider(payment.provider())
          .setProviderReference(payment.providerReference())
          .build();
    }
    return PaymentFailed.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(at)
        .setPaymentId(payment.paymentId())
        .setReservationId(payment.reservationId())
        .setEventId(payable.eventId())
        .setCustomerId(payable.customerId())
        .setAmountMinor(payment.amountMinor())
        .setCurrency(payment.currency())
        .setReason(PaymentFailureReason.valueOf(payment.failureReason().name()))
        .setDetail(payment.failureDetail())
        .build();
  }
}
