package io.guichet.payment.adapter.in.web;

import static io.guichet.payment.adapter.in.web.PaymentServiceUnderTest.body;
import static io.guichet.payment.adapter.in.web.PaymentServiceUnderTest.json;
import static io.guichet.payment.adapter.in.web.PaymentServiceUnderTest.paymentEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentFailureReason;
import io.guichet.payment.adapter.out.provider.SimulatedProvider;
import io.guichet.platform.access.Role;
import io.guichet.testsupport.HeldPositions;
import io.guichet.testsupport.TestTokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/** Payment over real HTTP, PostgreSQL and Kafka, with the simulated provider. */
class PaymentApiIT {

  private static PaymentServiceUnderTest payment;

  @BeforeAll
  static void start() {
    payment = new PaymentServiceUnderTest("payment_api_it");
  }

  @AfterAll
  static void stop() {
    payment.close();
  }

  @Test
  void a_held_reservation_is_paid_once_and_PaymentCaptured_is_published() throws Exception {
    SeatsHeld held = payment.hold(9_000, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();

    HttpResponse<String> paid = payment.pay(reservation, 9_000, "EUR", SimulatedProvider.SUCCESS);

    assertThat(paid.statusCode()).isEqualTo(201);
    JsonNode view = json(paid);
    assertThat(view.get("status").asString()).isEqualTo("CAPTURED");
    assertThat(view.get("method").asString()).isEqualTo("card ending 4242");
    assertThat(paid.body()).doesNotContain(SimulatedProvider.SUCCESS);
    String paymentId = view.get("paymentId").asString();
    assertThat(paid.headers().firstValue("Location")).hasValue("/payments/" + paymentId);
    assertThat(json(payment.get("/payments/" + paymentId)).get("status").asString())
        .isEqualTo("CAPTURED");

    // Paying again answers the payment made, charges nothing.
    HttpResponse<String> again = payment.pay(reservation, 9_000, "EUR", SimulatedProvider.SUCCESS);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("paymentId").asString()).isEqualTo(paymentId);

    List<SpecificRecord> events = paymentEvents(List.of(), reservation);
    assertThat(events).hasSize(1);
    PaymentCaptured captured = (PaymentCaptured) events.get(0);
    assertThat(captured.getPaymentId()).isEqualTo(paymentId);
    assertThat(captured.getEventId()).isEqualTo(held.getEventId());
    assertThat(captured.getCustomerId()).isEqualTo(held.getCustomerId());
    assertThat(captured.getAmountMinor()).isEqualTo(9_000);
    assertThat(captured.getProvider()).isEqualTo("simulated");
  }

  @Test
  void declined_and_insufficient_funds_publish_PaymentFailed_and_another_card_may_pay()
      throws Exception {
    SeatsHeld held = payment.hold(4_500, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();

    HttpResponse<String> declined =
        payment.pay(reservation, 4_500, "EUR", SimulatedProvider.DECLINED);
    HttpResponse<String> poor =
        payment.pay(reservation, 4_500, "EUR", SimulatedProvider.INSUFFICIENT_FUNDS);

    assertThat(declined.statusCode()).isEqualTo(402);
    assertThat(declined.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
    assertThat(json(declined).get("reason").asString()).isEqualTo("DECLINED");
    assertThat(poor.statusCode()).isEqualTo(402);
    assertThat(json(poor).get("reason").asString()).isEqualTo("INSUFFICIENT_FUNDS");

    HttpResponse<String> paid = payment.pay(reservation, 4_500, "EUR", "pm_card_visa");
    assertThat(paid.statusCode()).isEqualTo(201);
    assertThat(json(paid).get("attempt").asInt()).isEqualTo(3);

    List<SpecificRecord> events = paymentEvents(List.of(), reservation);
    assertThat(events)
        .extracting(event -> event.getClass().getSimpleName())
        .containsExactly("PaymentFailed", "PaymentFailed", "PaymentCaptured");
    assertThat(((PaymentFailed) events.get(0)).getReason())
        .isEqualTo(PaymentFailureReason.DECLINED);
    assertThat(((PaymentFailed) events.get(1)).getReason())
        .isEqualTo(PaymentFailureReason.INSUFFICIENT_FUNDS);
  }

  @Test
  void fifty_concurrent_identical_payments_charge_once_and_publish_one_PaymentCaptured()
      throws Exception {
    SeatsHeld held = payment.hold(12_000, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();
    int chargesBefore = payment.provider().charges();

    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      requests.add(payment.postAsync(body(reservation, 12_000, "EUR", SimulatedProvider.SUCCESS)));
    }
    List<HttpResponse<String>> answers = requests.stream().map(CompletableFuture::join).toList();

    // One request made the payment; the others were told of it (captured, or still processing).
    assertThat(answers).extracting(HttpResponse::statusCode).isSubsetOf(201, 200, 202);
    assertThat(answers.stream().filter(answer -> answer.statusCode() == 201)).hasSize(1);
    List<String> paymentIds = new ArrayList<>();
    for (HttpResponse<String> answer : answers) {
      paymentIds.add(json(answer).get("paymentId").asString());
    }
    assertThat(paymentIds).containsOnly(paymentIds.get(0));
    assertThat(payment.provider().charges() - chargesBefore).isEqualTo(1);

    String marker = payment.hold(100, "EUR", Duration.ofMinutes(10)).getReservationId();
    assertThat(payment.pay(marker, 100, "EUR", SimulatedProvider.SUCCESS).statusCode())
        .isEqualTo(201);
    assertThat(paymentEvents(List.of(reservation), marker))
        .filteredOn(
            event -> event instanceof PaymentCaptured c && c.getReservationId().equals(reservation))
        .hasSize(1);
  }

  @Test
  void a_payment_booking_rejects_after_the_hold_is_refunded_once() throws Exception {
    SeatsHeld held = payment.hold(7_000, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();
    HttpResponse<String> paid = payment.pay(reservation, 7_000, "EUR", SimulatedProvider.SUCCESS);
    assertThat(paid.statusCode()).isEqualTo(201);
    String self = paid.headers().firstValue("Location").orElseThrow();
    int refundsBefore = payment.provider().refunds();

    // Booking rejects the payment (the hold had ended), and the rejection is delivered twice.
    payment.rejectLatePayment(held);
    payment.rejectLatePayment(held);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json(payment.get(self)).get("status").asString().equals("REFUNDED"));
    assertRefundedOnce(reservation, refundsBefore);
  }

  @Test
  void paid_reservations_of_a_cancelled_event_are_refunded() throws Exception {
    SeatsHeld held = payment.hold(6_000, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();
    HttpResponse<String> paid = payment.pay(reservation, 6_000, "EUR", SimulatedProvider.SUCCESS);
    assertThat(paid.statusCode()).isEqualTo(201);
    String self = paid.headers().firstValue("Location").orElseThrow();
    int refundsBefore = payment.provider().refunds();

    payment.cancelEvent(held.getEventId());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json(payment.get(self)).get("status").asString().equals("REFUNDED"));
    assertRefundedOnce(reservation, refundsBefore);
  }

  /** One refund at the provider, and one PaymentRefunded after the PaymentCaptured. */
  private static void assertRefundedOnce(String reservation, int refundsBefore) throws Exception {
    assertThat(payment.provider().refunds() - refundsBefore).isEqualTo(1);
    String marker = payment.hold(100, "EUR", Duration.ofMinutes(10)).getReservationId();
    assertThat(payment.pay(marker, 100, "EUR", SimulatedProvider.SUCCESS).statusCode())
        .isEqualTo(201);
    assertThat(paymentEvents(List.of(reservation), marker))
        .filteredOn(event -> !event.toString().contains(marker))
        .extracting(event -> event.getClass().getSimpleName())
        .containsExactly("PaymentCaptured", "PaymentRefunded");
  }

  @Test
  void an_expired_hold_takes_no_payment() throws Exception {
    SeatsHeld held = payment.hold(3_000, "EUR", Duration.ofMinutes(10));
    payment.expire(held);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> late =
                  payment.pay(held.getReservationId(), 3_000, "EUR", SimulatedProvider.SUCCESS);
              assertThat(late.statusCode()).isEqualTo(409);
              assertThat(late.body()).contains("expired");
            });
  }

  @Test
  void only_its_customer_pays_a_reservation_and_sees_the_payment() throws Exception {
    SeatsHeld held = payment.hold(3_500, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();
    String body = body(reservation, 3_500, "EUR", SimulatedProvider.SUCCESS);
    String stranger = TestTokens.get().token(PaymentServiceUnderTest.STRANGER, Role.CUSTOMER);
    int chargesBefore = payment.provider().charges();

    // Someone else's reservation is unknown to the caller; no token is 401; an organizer is 403.
    assertProblem(payment.postAs(stranger, body), 404, null);
    assertProblem(payment.postAs(null, body), 401, null);
    assertProblem(
        payment.postAs(TestTokens.get().token(held.getCustomerId(), Role.ORGANIZER), body),
        403,
        null);
    assertThat(payment.provider().charges()).isEqualTo(chargesBefore);

    HttpResponse<String> paid = payment.pay(reservation, 3_500, "EUR", SimulatedProvider.SUCCESS);
    assertThat(paid.statusCode()).isEqualTo(201);
    String path = "/payments/" + json(paid).get("paymentId").asString();
    assertProblem(payment.getAs(stranger, path), 404, null);
    assertProblem(payment.getAs(null, path), 401, null);
    String admin = TestTokens.get().token("admin-" + UUID.randomUUID(), Role.ADMIN);
    assertThat(json(payment.getAs(admin, path)).get("status").asString()).isEqualTo("CAPTURED");
    assertThat(payment.get(path).statusCode()).isEqualTo(200);
  }

  @Test
  void bad_input_gets_a_problem_naming_the_field_and_changes_nothing() throws Exception {
    SeatsHeld held = payment.hold(5_000, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();
    int chargesBefore = payment.provider().charges();

    assertProblem(
        payment.pay("r-unknown-" + reservation, 5_000, "EUR", SimulatedProvider.SUCCESS),
        404,
        null);
    assertProblem(
        payment.pay(reservation, 4_999, "EUR", SimulatedProvider.SUCCESS), 422, "amountMinor");
    assertProblem(
        payment.pay(reservation, 5_000, "USD", SimulatedProvider.SUCCESS), 422, "currency");
    assertProblem(
        payment.pay(reservation, 5_000, "eur", SimulatedProvider.SUCCESS), 400, "currency");
    assertProblem(
        payment.pay(reservation, 0, "EUR", SimulatedProvider.SUCCESS), 400, "amountMinor");
    assertProblem(payment.pay(reservation, 5_000, "EUR", "4242424242424241"), 400, "paymentMethod");
    assertProblem(payment.post("{\"reservation\":"), 400, null);
    assertProblem(payment.post("[]"), 400, null);
    assertProblem(payment.post("{\"reservation\":\"" + reservation + "\"}"), 400, "amountMinor");
    assertProblem(
        payment.post(
            "{\"reservation\":\""
                + reservation
                + "\",\"amountMinor\":\"5000\",\"currency\":\"EUR\","
                + "\"paymentMethod\":\""
                + SimulatedProvider.SUCCESS
                + "\"}"),
        400,
        "amountMinor");
    assertProblem(
        payment.post(
            body(reservation, 5_000, "EUR", SimulatedProvider.SUCCESS).replace("}", ",\"tip\":1}")),
        400,
        "tip");
    // Hostile JSON: a key twice, data after the document, an amount past a long.
    String good = body(reservation, 5_000, "EUR", SimulatedProvider.SUCCESS);
    assertProblem(payment.post(good.replace("{", "{\"amountMinor\":1,")), 400, null);
    assertProblem(payment.post(good + good), 400, null);
    assertProblem(payment.post(good.replace("5000", "92233720368547758070")), 400, "amountMinor");
    assertProblem(payment.get("/payments/no-such-payment"), 404, null);
    // A control character in a path is refused before it reaches the database.
    assertProblem(payment.get("/payments/p%00"), 400, null);

    assertThat(payment.provider().charges()).isEqualTo(chargesBefore);
    long rows =
        payment
            .bean(DatabaseClient.class)
            .sql("SELECT count(*) AS n FROM payments WHERE reservation_id = $1")
            .bind(0, reservation)
            .map(row -> row.get("n", Long.class))
            .one()
            .block();
    assertThat(rows).isZero();
    String marker = payment.hold(100, "EUR", Duration.ofMinutes(10)).getReservationId();
    assertThat(payment.pay(marker, 100, "EUR", SimulatedProvider.SUCCESS).statusCode())
        .isEqualTo(201);
    assertThat(paymentEvents(List.of(reservation), marker))
        .noneMatch(event -> event.toString().contains(reservation));
  }

  @Test
  void after_a_start_it_answers_503_until_it_has_read_bookings_outcomes() throws Exception {
    String database = "payment_catch_up_it";
    try (PaymentServiceUnderTest earlier = new PaymentServiceUnderTest(database)) {
      earlier.hold(1_000, "EUR", Duration.ofMinutes(10));
    }
    // While no payment service runs, booking holds seats; then one starts, and its projection
    // cannot write for a while (its positions' table is locked, as by a slow database).
    SeatsHeld held = PaymentServiceUnderTest.seatsHeld(9_000, "EUR", Duration.ofMinutes(10));
    PaymentServiceUnderTest.publishHeld(held);
    try (HeldPositions positions = HeldPositions.of(database)) {
      try (PaymentServiceUnderTest restarted = new PaymentServiceUnderTest(database)) {
        restarted.knows(held);
        int chargesBefore = restarted.provider().charges();

        HttpResponse<String> early =
            restarted.pay(held.getReservationId(), 9_000, "EUR", SimulatedProvider.SUCCESS);

        // Not "unknown reservation" (404): not yet known, said so, nothing charged.
        assertProblem(early, 503, null);
        assertThat(early.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(early).get("detail").asString()).contains("still reading");
        assertThat(restarted.provider().charges()).isEqualTo(chargesBefore);
        // Bad input is still bad input.
        assertProblem(
            restarted.pay(held.getReservationId(), 0, "EUR", SimulatedProvider.SUCCESS),
            400,
            "amountMinor");

        positions.release();
        HttpResponse<String>[] paid = new HttpResponse[1];
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  paid[0] =
                      restarted.pay(
                          held.getReservationId(), 9_000, "EUR", SimulatedProvider.SUCCESS);
                  return paid[0].statusCode() != 503;
                });
        assertThat(paid[0].statusCode()).as(paid[0].body()).isEqualTo(201);
      }
    }
  }

  private static void assertProblem(HttpResponse<String> response, int status, String field)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
    if (field != null) {
      assertThat(json(response).get("errors").findValuesAsString("field")).contains(field);
    }
  }
}
