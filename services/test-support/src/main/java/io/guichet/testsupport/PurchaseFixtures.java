package io.guichet.testsupport;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.events.ticketing.TicketIssued;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The facts of a purchase as booking, payment and ticketing publish them, for the consumers' tests:
 * one seat per ticket at 45.00 EUR, a fresh event id each.
 */
public final class PurchaseFixtures {

  public static final long PRICE_MINOR = 4_500;

  private PurchaseFixtures() {}

  /** Seats held for ten minutes. */
  public static SeatsHeld held(
      String event, String offer, String reservation, String customer, int quantity) {
    return SeatsHeld.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId(reservation)
        .setEventId(event)
        .setOfferId(offer)
        .setCustomerId(customer)
        .setQuantity(quantity)
        .setSeats(quantity)
        .setAmountMinor(PRICE_MINOR * quantity)
        .setCurrency("EUR")
        .setExpiresAt(Instant.now().plus(Duration.ofMinutes(10)))
        .build();
  }

  public static ReservationConfirmed confirmed(
      String event, String offer, String reservation, String customer, int quantity) {
    return ReservationConfirmed.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId(reservation)
        .setEventId(event)
        .setOfferId(offer)
        .setCustomerId(customer)
        .setQuantity(quantity)
        .setSeats(quantity)
        .setAmountMinor(PRICE_MINOR * quantity)
        .setCurrency("EUR")
        .setPaymentId("p-" + reservation)
        .build();
  }

  public static PaymentCaptured captured(
      String event, String reservation, String customer, long amountMinor) {
    return PaymentCaptured.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setPaymentId("p-" + reservation)
        .setReservationId(reservation)
        .setEventId(event)
        .setCustomerId(customer)
        .setAmountMinor(amountMinor)
        .setCurrency("EUR")
        .setProvider("simulated")
        .setProviderReference("ch-" + reservation)
        .build();
  }

  /** Money given back for a reservation, as payment announces it. */
  public static PaymentRefunded refunded(
      String event, String reservation, String customer, long amountMinor, String reason) {
    return PaymentRefunded.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setPaymentId("p-" + reservation)
        .setReservationId(reservation)
        .setEventId(event)
        .setCustomerId(customer)
        .setAmountMinor(amountMinor)
        .setCurrency("EUR")
        .setRefundId("re-" + reservation)
        .setReason(reason)
        .build();
  }

  /** A ticket as ticketing announces it, without the key fields only the gate reads. */
  public static TicketIssued ticket(
      String event, String offer, String reservation, String customer, int seat) {
    return TicketIssued.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setTicketId("t-" + UUID.randomUUID())
        .setReservationId(reservation)
        .setEventId(event)
        .setOfferId(offer)
        .setCustomerId(customer)
        .setSeatIndex(seat)
        .setSigningKeyId("k-" + event)
        .setKeyFingerprint(null)
        .setSigningPublicKey(null)
        .build();
  }
}
