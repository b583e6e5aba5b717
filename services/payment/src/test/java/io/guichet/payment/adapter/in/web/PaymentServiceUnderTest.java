package io.guichet.payment.adapter.in.web;

import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.RejectionReason;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.payment.PaymentApplication;
import io.guichet.payment.adapter.out.provider.SimulatedProvider;
import io.guichet.platform.access.Role;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A payment service on the shared broker and PostgreSQL (its own database), driven over HTTP, with
 * booking's outcomes written to {@code booking.reservations} as booking's allocator would. Requests
 * are sent with the access token of the reservation's customer (of the payment's, for a payment),
 * or of a customer unrelated to anything when the request names no known reservation.
 */
final class PaymentServiceUnderTest implements AutoCloseable {

  static final TestInfrastructure INFRA = TestInfrastructure.get();
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A customer who owns nothing. */
  static final String STRANGER = "c-stranger";

  private final ConfigurableApplicationContext context;
  private final String base;
  private final Map<String, String> customers = new ConcurrentHashMap<>();

  PaymentServiceUnderTest(String database, String... settings) {
    INFRA.postgres().createDatabase(database);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--guichet.payment.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.payment.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.payment.consumer-group=" + database,
                "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl(database),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password="));
    args.addAll(TestTokens.accessArgs());
    args.addAll(List.of(settings));
    context = PaymentApplication.application().run(args.toArray(String[]::new));
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** Where its HTTP API listens. */
  String base() {
    return base;
  }

  SimulatedProvider provider() {
    return context.getBean(SimulatedProvider.class);
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** Booking held seats: SeatsHeld on booking's outcomes topic, and payment has projected it. */
  SeatsHeld hold(long amountMinor, String currency, Duration holdFor) throws Exception {
    SeatsHeld held = seatsHeld(amountMinor, currency, holdFor);
    String reservation = held.getReservationId();
    knows(held);
    publish(reservation, held);
    // Payable once projected: a payment with the wrong amount is then refused with 422, not 404.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                pay(reservation, amountMinor + 1, currency, SimulatedProvider.SUCCESS).statusCode()
                    == 422);
    return held;
  }

  /** A hold of booking's, for a new reservation of a new customer (not published). */
  static SeatsHeld seatsHeld(long amountMinor, String currency, Duration holdFor) {
    return SeatsHeld.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId("r-" + UUID.randomUUID())
        .setEventId("e-" + UUID.randomUUID())
        .setOfferId("solo")
        .setCustomerId("c-" + UUID.randomUUID())
        .setQuantity(2)
        .setSeats(2)
        .setAmountMinor(amountMinor)
        .setCurrency(currency)
        .setExpiresAt(Instant.now().plus(holdFor))
        .build();
  }

  /** Requests about this hold's reservation are sent with its customer's token. */
  void knows(SeatsHeld held) {
    customers.put(held.getReservationId(), held.getCustomerId());
  }

  /** Publishes the hold on booking's outcomes topic, whether a payment service runs or not. */
  static void publishHeld(SeatsHeld held) throws Exception {
    publish(held.getReservationId(), held);
  }

  void expire(SeatsHeld held) throws Exception {
    publish(
        held.getReservationId(),
        HoldExpired.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setReservationId(held.getReservationId())
            .setEventId(held.getEventId())
            .setOfferId(held.getOfferId())
            .setCustomerId(held.getCustomerId())
            .setSeats(held.getSeats())
            .build());
  }

  /** Booking refused a payment of this reservation: it came after the hold ended. */
  void rejectLatePayment(SeatsHeld held) throws Exception {
    publish(
        held.getReservationId(),
        ReservationRejected.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setReservationId(held.getReservationId())
            .setEventId(held.getEventId())
            .setOfferId(held.getOfferId())
            .setCustomerId(held.getCustomerId())
            .setReason(RejectionReason.HOLD_EXPIRED)
            .setDetail("payment arrived after the hold ended")
            .build());
  }

  /** The organizer cancelled the event (catalog.events). */
  void cancelEvent(String eventId) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.CATALOG_EVENTS.name(),
                  eventId,
                  EventCancelled.newBuilder()
                      .setId(UUID.randomUUID().toString())
                      .setOccurredAt(Instant.now())
                      .setEventId(eventId)
                      .setReason("storm")
                      .build()))
          .get();
    }
  }

  private static void publish(String key, SpecificRecord event) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      producer.send(new ProducerRecord<>(Topics.RESERVATIONS.name(), key, event)).get();
    }
  }

  static String body(String reservation, long amountMinor, String currency, String method) {
    return String.format(
        "{\"reservation\":\"%s\",\"amountMinor\":%d,\"currency\":\"%s\",\"paymentMethod\":\"%s\"}",
        reservation, amountMinor, currency, method);
  }

  HttpResponse<String> pay(String reservation, long amountMinor, String currency, String method)
      throws Exception {
    return post(body(reservation, amountMinor, currency, method));
  }

  HttpResponse<String> post(String body) throws Exception {
    return remember(
        HTTP.send(postRequest(body, tokenFor(body)), HttpResponse.BodyHandlers.ofString()));
  }

  CompletableFuture<HttpResponse<String>> postAsync(String body) {
    return HTTP.sendAsync(postRequest(body, tokenFor(body)), HttpResponse.BodyHandlers.ofString())
        .thenApply(this::remember);
  }

  /** A payment request with this access token (none when null). */
  HttpResponse<String> postAs(String token, String body) throws Exception {
    return HTTP.send(postRequest(body, token), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest postRequest(String body, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/payments"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return (token == null ? request : request.header("Authorization", TestTokens.bearer(token)))
        .build();
  }

  /** The token of the customer of the reservation this body names, or of a stranger. */
  private String tokenFor(String body) {
    String customer = STRANGER;
    try {
      String reservation = JSON.readTree(body).path("reservation").asString();
      customer = customers.getOrDefault(reservation, STRANGER);
    } catch (Exception notJson) {
      // A malformed body: sent as a stranger.
    }
    return TestTokens.get().token(customer, Role.CUSTOMER);
  }

  /** Remembers whose payment an answer shows, for the GETs that follow. */
  private HttpResponse<String> remember(HttpResponse<String> response) {
    try {
      JsonNode answer = JSON.readTree(response.body());
      String reservation = answer.path("reservationId").asString();
      String paymentId = answer.path("paymentId").asString();
      if (!paymentId.isEmpty() && customers.containsKey(reservation)) {
        customers.put(paymentId, customers.get(reservation));
      }
    } catch (Exception notJson) {
      // Nothing to remember.
    }
    return response;
  }

  /** A GET as the customer of the payment the path names (or a stranger). */
  HttpResponse<String> get(String path) throws Exception {
    String id = path.startsWith("/payments/") ? path.substring("/payments/".length()) : "";
    return getAs(TestTokens.get().token(customers.getOrDefault(id, STRANGER), Role.CUSTOMER), path);
  }

  /** A GET with this access token (none when null). */
  HttpResponse<String> getAs(String token, String path) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /**
   * The payment events of these reservations, read until one for {@code marker} is seen: the outbox
   * publishes in order, so an event written before the marker's is read by then.
   */
  static List<SpecificRecord> paymentEvents(List<String> reservations, String marker) {
    List<String> wanted = Stream.concat(reservations.stream(), Stream.of(marker)).toList();
    // The marker's event is published after theirs: once it is on the topic, theirs are too, on
    // whatever partitions they are; the whole topic is then read to its end.
    INFRA.readUntil(
        Topics.PAYMENTS.name(), record -> marker.equals(record.key()), kept -> !kept.isEmpty());
    return INFRA.readToEnd(Topics.PAYMENTS.name(), record -> wanted.contains(record.key())).stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  @Override
  public void close() {
    context.close();
  }
}
