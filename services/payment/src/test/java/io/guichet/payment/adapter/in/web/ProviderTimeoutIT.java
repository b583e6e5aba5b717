package io.guichet.payment.adapter.in.web;

import static io.guichet.payment.adapter.in.web.PaymentServiceUnderTest.json;
import static io.guichet.payment.adapter.in.web.PaymentServiceUnderTest.paymentEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentFailureReason;
import io.guichet.payment.adapter.out.provider.GuardedProvider;
import io.guichet.payment.adapter.out.provider.SimulatedProvider;
import io.guichet.payment.application.PaymentProvider;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A provider that stops answering: calls time out, the circuit opens and payments are refused with
 * 503 and Retry-After without being charged; after the open time, a good call closes the circuit.
 * Payments left processing by the timeouts are completed by recovery.
 */
class ProviderTimeoutIT {

  private static PaymentServiceUnderTest payment;

  @BeforeAll
  static void start() {
    payment =
        new PaymentServiceUnderTest(
            "payment_timeout_it",
            "--guichet.payment.provider-timeout=300ms",
            "--guichet.payment.circuit.window=4",
            "--guichet.payment.circuit.minimum-calls=2",
            "--guichet.payment.circuit.failure-rate=50",
            "--guichet.payment.circuit.open-for=2s",
            "--guichet.payment.circuit.trial-calls=1",
            "--guichet.payment.recovery-after=1s",
            "--guichet.payment.recovery-check=500ms");
  }

  @AfterAll
  static void stop() {
    payment.close();
  }

  @Test
  void timeouts_open_the_circuit_which_closes_again_once_the_provider_answers() throws Exception {
    GuardedProvider provider = payment.bean(GuardedProvider.class);
    List<String> timedOut = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String reservation = payment.hold(2_000, "EUR", Duration.ofMinutes(10)).getReservationId();
      HttpResponse<String> pending =
          payment.pay(reservation, 2_000, "EUR", SimulatedProvider.TIMEOUT);
      // No answer in time: the outcome is unknown, so the payment is processing, to be followed.
      assertThat(pending.statusCode()).isEqualTo(202);
      assertThat(json(pending).get("status").asText()).isEqualTo("PROCESSING");
      timedOut.add(reservation);
    }
    assertThat(provider.state()).isEqualTo(CircuitBreaker.State.OPEN);

    String waiting = payment.hold(2_000, "EUR", Duration.ofMinutes(10)).getReservationId();
    int chargesBefore = payment.provider().charges();
    HttpResponse<String> refused = payment.pay(waiting, 2_000, "EUR", SimulatedProvider.SUCCESS);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(payment.provider().charges()).isEqualTo(chargesBefore);

    // After the open time the circuit lets a trial call through (background work does not spend
    // it); the buyer's payment is that call, it succeeds and closes the circuit.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> provider.state() == CircuitBreaker.State.HALF_OPEN);
    HttpResponse<String> paid = payment.pay(waiting, 2_000, "EUR", SimulatedProvider.SUCCESS);
    assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
    assertThat(provider.state()).isEqualTo(CircuitBreaker.State.CLOSED);

    // Recovery asks the provider about the timed-out attempts: it made no charge, so they failed
    // (PaymentFailed PROVIDER_TIMEOUT), and the buyer may pay again.
    for (String reservation : timedOut) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  payment.pay(reservation, 2_000, "EUR", SimulatedProvider.SUCCESS).statusCode()
                      == 201);
    }
    // Recovery completes them oldest first, so the second one's failure comes after the first's.
    List<SpecificRecord> events = paymentEvents(timedOut, timedOut.get(1));
    assertThat(events)
        .filteredOn(event -> event instanceof PaymentFailed)
        .extracting(event -> ((PaymentFailed) event).getReason())
        .containsExactly(
            PaymentFailureReason.PROVIDER_TIMEOUT, PaymentFailureReason.PROVIDER_TIMEOUT);
  }

  @Test
  void a_crash_between_the_charge_and_its_record_ends_with_one_charge_and_one_event()
      throws Exception {
    SeatsHeld held = payment.hold(5_500, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();
    String paymentId = UUID.randomUUID().toString();
    String key = "guichet-" + reservation + "-1";
    // What a crash leaves: the attempt recorded as processing, the provider having charged under
    // its key, and no outcome recorded or published.
    payment
        .bean(DatabaseClient.class)
        .sql(
            "INSERT INTO payments (payment_id, reservation_id, attempt, amount_minor, currency,"
                + " method, status, provider, created_at, updated_at) VALUES ($1, $2, 1, 5500,"
                + " 'EUR', 'card ending 4242', 'PROCESSING', 'simulated', now(), now())")
        .bind(0, paymentId)
        .bind(1, reservation)
        .then()
        .block();
    int chargesBefore = payment.provider().charges();
    payment
        .provider()
        .charge(
            new PaymentProvider.Charge(key, reservation, 5_500, "EUR", SimulatedProvider.SUCCESS))
        .block();

    // The buyer retries meanwhile: told of the attempt in progress, charged nothing more.
    HttpResponse<String> retry = payment.pay(reservation, 5_500, "EUR", SimulatedProvider.SUCCESS);
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(json(retry).get("paymentId").asText()).isEqualTo(paymentId);

    // Recovery asks the provider what it did under the key and records the charge, once.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                json(payment.get("/payments/" + paymentId))
                    .get("status")
                    .asText()
                    .equals("CAPTURED"));
    assertThat(payment.provider().charges() - chargesBefore).isEqualTo(1);
    String marker = payment.hold(100, "EUR", Duration.ofMinutes(10)).getReservationId();
    assertThat(payment.pay(marker, 100, "EUR", SimulatedProvider.SUCCESS).statusCode())
        .isEqualTo(201);
    assertThat(paymentEvents(List.of(reservation), marker))
        .filteredOn(
            event -> event instanceof PaymentCaptured c && c.getReservationId().equals(reservation))
        .hasSize(1);
  }
}
