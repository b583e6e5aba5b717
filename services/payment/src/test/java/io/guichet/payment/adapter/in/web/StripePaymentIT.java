package io.guichet.payment.adapter.in.web;

import static io.guichet.payment.adapter.in.web.PaymentServiceUnderTest.body;
import static io.guichet.payment.adapter.in.web.PaymentServiceUnderTest.json;
import static io.guichet.payment.adapter.in.web.PaymentServiceUnderTest.paymentEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.payment.PaymentCaptured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Payment with its Stripe adapter, against a local stub of Stripe's API, and Stripe's webhooks
 * signed as Stripe signs them.
 */
class StripePaymentIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String WEBHOOK_SECRET = "whsec_" + UUID.randomUUID();
  private static final StripeSignature SIGNING = new StripeSignature(WEBHOOK_SECRET, Duration.ZERO);

  private static StripeStub stripe;
  private static PaymentServiceUnderTest payment;
  private static String webhook;

  @BeforeAll
  static void start() throws Exception {
    stripe = new StripeStub();
    payment =
        new PaymentServiceUnderTest(
            "payment_stripe_it",
            "--guichet.payment.provider=stripe",
            "--guichet.payment.stripe.api-base=" + stripe.base(),
            "--guichet.payment.stripe.secret-key=" + stripe.secretKey,
            "--guichet.payment.stripe.webhook-secret=" + WEBHOOK_SECRET);
    webhook = payment.get("/").uri().resolve("/payments/webhooks/stripe").toString();
  }

  @AfterAll
  static void stop() {
    payment.close();
    stripe.close();
  }

  @Test
  void fifty_concurrent_payments_and_five_webhook_deliveries_charge_once_and_publish_once()
      throws Exception {
    SeatsHeld held = payment.hold(15_000, "EUR", Duration.ofMinutes(10));
    String reservation = held.getReservationId();

    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      requests.add(payment.postAsync(body(reservation, 15_000, "EUR", "pm_card_visa")));
    }
    List<HttpResponse<String>> answers = requests.stream().map(CompletableFuture::join).toList();
    assertThat(answers).extracting(HttpResponse::statusCode).isSubsetOf(200, 201, 202);
    assertThat(answers.stream().filter(answer -> answer.statusCode() == 201)).hasSize(1);

    // Stripe tells of the success by webhook, delivered five times.
    ObjectNode event = event("payment_intent.succeeded", stripe.intentOf(key(reservation, 1)));
    for (int i = 0; i < 5; i++) {
      assertThat(deliver(event.toString(), Instant.now()).statusCode()).isEqualTo(200);
    }

    assertThat(stripe.charges()).isEqualTo(1);
    String marker = payment.hold(100, "EUR", Duration.ofMinutes(10)).getReservationId();
    assertThat(payment.pay(marker, 100, "EUR", "pm_card_visa").statusCode()).isEqualTo(201);
    assertThat(paymentEvents(List.of(reservation), marker))
        .filteredOn(e -> e instanceof PaymentCaptured c && c.getReservationId().equals(reservation))
        .hasSize(1);
  }

  @Test
  void stripes_card_errors_are_payment_failures() throws Exception {
    String reservation = payment.hold(2_500, "EUR", Duration.ofMinutes(10)).getReservationId();

    HttpResponse<String> declined =
        payment.pay(reservation, 2_500, "EUR", "pm_card_chargeDeclined");
    HttpResponse<String> poor =
        payment.pay(reservation, 2_500, "EUR", "pm_card_chargeDeclinedInsufficientFunds");

    assertThat(declined.statusCode()).isEqualTo(402);
    assertThat(json(declined).get("reason").asString()).isEqualTo("DECLINED");
    assertThat(poor.statusCode()).isEqualTo(402);
    assertThat(json(poor).get("reason").asString()).isEqualTo("INSUFFICIENT_FUNDS");
  }

  @Test
  void a_processing_charge_is_completed_by_its_webhook_and_bad_deliveries_change_nothing()
      throws Exception {
    String reservation = payment.hold(8_000, "EUR", Duration.ofMinutes(10)).getReservationId();
    HttpResponse<String> pending = payment.pay(reservation, 8_000, "EUR", StripeStub.PROCESSING);
    assertThat(pending.statusCode()).isEqualTo(202);
    String self = pending.headers().firstValue("Location").orElseThrow();

    ObjectNode intent = stripe.intentOf(key(reservation, 1));
    ObjectNode succeeded =
        event("payment_intent.succeeded", stripe.succeed(intent.get("id").asString()));
    String body = succeeded.toString();

    // Forged, stale (a replay outside the tolerance) or unsigned deliveries are refused.
    HttpResponse<String> forged =
        send(body, "t=" + Instant.now().getEpochSecond() + ",v1=" + "0".repeat(64));
    HttpResponse<String> tampered = send(body.replace("8000", "1"), header(body, Instant.now()));
    HttpResponse<String> stale = deliver(body, Instant.now().minus(Duration.ofMinutes(10)));
    HttpResponse<String> unsigned = send(body, null);
    for (HttpResponse<String> refused : List.of(forged, tampered, stale, unsigned)) {
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
    }
    assertThat(json(stale).get("detail").asString()).contains("replay");
    assertThat(json(payment.get(self)).get("status").asString()).isEqualTo("PROCESSING");

    // The genuine delivery completes it.
    assertThat(deliver(body, Instant.now()).statusCode()).isEqualTo(200);
    assertThat(json(payment.get(self)).get("status").asString()).isEqualTo("CAPTURED");
  }

  @Test
  void a_refund_goes_back_through_stripe_once() throws Exception {
    SeatsHeld held = payment.hold(4_000, "EUR", Duration.ofMinutes(10));
    HttpResponse<String> paid = payment.pay(held.getReservationId(), 4_000, "EUR", "pm_card_visa");
    assertThat(paid.statusCode()).isEqualTo(201);
    String self = paid.headers().firstValue("Location").orElseThrow();
    int refundsBefore = stripe.refunds();

    payment.rejectLatePayment(held);
    payment.rejectLatePayment(held);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json(payment.get(self)).get("status").asString().equals("REFUNDED"));
    assertThat(stripe.refunds() - refundsBefore).isEqualTo(1);
  }

  private static String key(String reservation, int attempt) {
    return "guichet-" + reservation + "-" + attempt;
  }

  private static ObjectNode event(String type, ObjectNode intent) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", ""));
    event.put("object", "event");
    event.put("type", type);
    event.putObject("data").set("object", intent);
    return event;
  }

  private static String header(String body, Instant at) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + SIGNING.v1(t, body);
  }

  private static HttpResponse<String> deliver(String body, Instant at) throws Exception {
    return send(body, header(body, at));
  }

  private static HttpResponse<String> send(String body, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(webhook))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("Stripe-Signature", signature);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
