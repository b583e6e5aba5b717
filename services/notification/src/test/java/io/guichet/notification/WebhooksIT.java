package io.guichet.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.notification.adapter.out.kafka.KafkaDeadLetters;
import io.guichet.platform.access.Role;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.PurchaseFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Partners' webhooks over a real broker, PostgreSQL and HTTP, to a receiver on this machine that
 * verifies each signature as a partner would. Retries here start at 200 ms, reach 1 s at most and
 * stop after a 4-second window (24 hours by default).
 */
class WebhooksIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN =
      TestTokens.get().token("admin-" + UUID.randomUUID(), Role.ADMIN);
  private static ConfigurableApplicationContext notification;
  private static String base;
  private static Receiver receiver;

  /** A partner's endpoint: records what arrives, answers what each path is told to. */
  static final class Receiver {
    record Received(String path, Map<String, String> headers, String body, Instant at) {}

    final HttpServer server;
    final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Integer> answers = new ConcurrentHashMap<>();

    Receiver() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange
                .getRequestHeaders()
                .forEach((name, values) -> headers.put(name, values.get(0)));
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, headers, body, Instant.now()));
            exchange.sendResponseHeaders(answers.getOrDefault(path, 200), -1);
            exchange.close();
          });
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> at(String path) {
      synchronized (received) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
      }
    }
  }

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    INFRA.postgres().createDatabase("webhooks_it");
    List<String> access = TestTokens.accessArgs();
    notification =
        NotificationApplication.application()
            .run(
                access.get(0),
                access.get(1),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--guichet.notification.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.notification.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.notification.consumer-group=webhooks-it",
                "--guichet.notification.master-key=" + NotificationIT.randomKey(),
                "--guichet.notification.webhooks.first-retry=PT0.2S",
                "--guichet.notification.webhooks.max-retry=PT1S",
                "--guichet.notification.webhooks.retry-window=PT4S",
                "--guichet.notification.webhooks.allow-plain-http=true",
                "--guichet.notification.webhooks.allowed-networks=127.0.0.0/8",
                // Nothing listens there: emails are not what this test is about.
                "--spring.mail.port=1",
                "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl("webhooks_it"),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password=");
    base =
        "http://127.0.0.1:" + ((WebServerApplicationContext) notification).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    notification.close();
    receiver.server.stop(0);
  }

  @Test
  void partners_receive_signed_deliveries_they_can_verify_in_order_per_reservation()
      throws Exception {
    String path = "/signed-" + UUID.randomUUID();
    JsonNode registered = register(path, "SeatsHeld", "ReservationConfirmed");
    byte[] secret = Base64.getUrlDecoder().decode(registered.get("secret").asString());
    String webhook = registered.at("/webhook/webhookId").asString();

    String event = "e-" + UUID.randomUUID();
    List<String> reservations = List.of("r-" + UUID.randomUUID(), "r-" + UUID.randomUUID());
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (String reservation : reservations) {
        producer.send(
            new ProducerRecord<>(
                Topics.RESERVATIONS.name(), reservation, held(event, reservation)));
        producer.send(
            new ProducerRecord<>(
                Topics.RESERVATIONS.name(), reservation, confirmed(event, reservation)));
      }
      producer.flush();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at(path).size() == 4);

    Map<String, List<String>> typesByReservation = new HashMap<>();
    for (Receiver.Received delivery : receiver.at(path)) {
      assertThat(verify(secret, delivery)).as("signature of " + delivery.body()).isTrue();
      JsonNode payload = JSON.readTree(delivery.body());
      assertThat(payload.get("id").asString())
          .isEqualTo(delivery.headers().get("Guichet-Event-Id"));
      assertThat(payload.get("type").asString())
          .isEqualTo(delivery.headers().get("Guichet-Event-Type"));
      assertThat(payload.at("/data/eventId").asString()).isEqualTo(event);
      typesByReservation
          .computeIfAbsent(payload.at("/data/reservationId").asString(), r -> new ArrayList<>())
          .add(payload.get("type").asString());
    }
    for (String reservation : reservations) {
      assertThat(typesByReservation.get(reservation))
          .containsExactly("SeatsHeld", "ReservationConfirmed");
    }
    // A tampered body, or another secret, does not verify.
    Receiver.Received first = receiver.at(path).get(0);
    assertThat(
            verify(
                secret,
                new Receiver.Received(
                    path, first.headers(), first.body().replace("EUR", "USD"), first.at())))
        .isFalse();
    assertThat(verify(new byte[32], first)).isFalse();

    // A delivery is recorded as delivered once its answer is back, a moment after the receiver
    // has its request (CI once read 3 of 4 there).
    await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(webhook, "DELIVERED") == 4);
    JsonNode log =
        json(get("/partners/webhooks/" + webhook + "/deliveries?status=DELIVERED", ADMIN));
    assertThat(log.get("total").asInt()).isEqualTo(4);
    assertThat(log.at("/items/0/lastStatusCode").asInt()).isEqualTo(200);
  }

  @Test
  void an_endpoint_answering_500_is_retried_with_backoff_then_dead_lettered_and_replayed()
      throws Exception {
    String path = "/failing-" + UUID.randomUUID();
    receiver.answers.put(path, 500);
    JsonNode registered = register(path, "SeatsHeld", "ReservationConfirmed");
    String webhook = registered.at("/webhook/webhookId").asString();
    String event = "e-" + UUID.randomUUID();
    String stuck = "r-" + UUID.randomUUID();
    publish(Topics.RESERVATIONS.name(), stuck, held(event, stuck));
    publish(Topics.RESERVATIONS.name(), stuck, confirmed(event, stuck));

    await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(webhook, "DEAD") == 2);
    // The reservation's second delivery waited for its first: the first was tried again and
    // again, with growing gaps, before the second was tried at all.
    List<Receiver.Received> attempts = receiver.at(path);
    List<String> types = new ArrayList<>();
    for (Receiver.Received attempt : attempts) {
      types.add(attempt.headers().get("Guichet-Event-Type"));
    }
    int firstOfSecond = types.indexOf("ReservationConfirmed");
    assertThat(firstOfSecond).isGreaterThan(3);
    assertThat(types.subList(0, firstOfSecond)).containsOnly("SeatsHeld");
    // 200 ms after the first failure, 800 ms after the third (the dispatcher looks every 200 ms).
    assertThat(Duration.between(attempts.get(2).at(), attempts.get(3).at()))
        .isGreaterThan(Duration.between(attempts.get(0).at(), attempts.get(1).at()));
    JsonNode dead = json(get("/partners/webhooks/" + webhook + "/deliveries?status=DEAD", ADMIN));
    assertThat(dead.at("/items/0/lastStatusCode").asInt()).isEqualTo(500);
    assertThat(dead.at("/items/0/attempts").asInt()).isGreaterThan(2);
    String deliveryId = dead.at("/items/0/deliveryId").asString();
    ConsumerRecord<String, String> letter = deadLetter(deliveryId);
    assertThat(letter.key()).isEqualTo(webhook + "/reservation:" + stuck);
    assertThat(
            new String(
                letter.headers().lastHeader("guichet.dlt.reason").value(), StandardCharsets.UTF_8))
        .isEqualTo("the endpoint answered 500");

    // The partner is fixed; an admin replays the dead delivery.
    receiver.answers.put(path, 200);
    int before = receiver.at(path).size();
    HttpResponse<String> replayed =
        post(
            "/partners/webhooks/" + webhook + "/deliveries/" + deliveryId + "/replay", ADMIN, null);
    assertThat(replayed.statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                json(get("/partners/webhooks/" + webhook + "/deliveries?status=DELIVERED", ADMIN))
                        .get("total")
                        .asInt()
                    == 1);
    assertThat(receiver.at(path).size()).isEqualTo(before + 1);
    assertThat(receiver.at(path).get(before).headers().get("Guichet-Delivery-Id"))
        .isEqualTo(deliveryId);
    // An unknown delivery is a 404.
    assertThat(
            post("/partners/webhooks/" + webhook + "/deliveries/nope/replay", ADMIN, null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void bad_input_gets_a_problem_and_registers_nothing() throws Exception {
    int before = json(get("/partners/webhooks?size=100", ADMIN)).get("total").asInt();
    Map<String, String> bodies = new TreeMap<>();
    bodies.put("no url", "{\"eventTypes\":[\"SeatsHeld\"]}");
    bodies.put("ftp url", "{\"url\":\"ftp://example.org/x\",\"eventTypes\":[\"SeatsHeld\"]}");
    bodies.put("no host", "{\"url\":\"http:///x\",\"eventTypes\":[\"SeatsHeld\"]}");
    bodies.put(
        "credentials", "{\"url\":\"http://u:p@example.org/\",\"eventTypes\":[\"SeatsHeld\"]}");
    bodies.put("no types", "{\"url\":\"http://example.org/\",\"eventTypes\":[]}");
    bodies.put(
        "unknown type", "{\"url\":\"http://example.org/\",\"eventTypes\":[\"AccountRegistered\"]}");
    bodies.put(
        "types not a list", "{\"url\":\"http://example.org/\",\"eventTypes\":\"SeatsHeld\"}");
    bodies.put(
        "unknown field",
        "{\"url\":\"http://example.org/\",\"eventTypes\":[\"SeatsHeld\"],\"x\":1}");
    // Hostile JSON: a NUL in the description was a 500; a key twice or data after the document
    // registered a webhook.
    bodies.put(
        "NUL in description",
        "{\"url\":\"http://example.org/\",\"eventTypes\":[\"SeatsHeld\"],"
            + "\"description\":\"a\\u0000b\"}");
    bodies.put(
        "url twice",
        "{\"url\":\"http://example.org/\",\"url\":\"http://example.com/\","
            + "\"eventTypes\":[\"SeatsHeld\"]}");
    // Internal addresses are refused (SSRF), as literals or as names, in every spelling; this
    // instance allows 127.0.0.0/8 only, for the test's own receivers.
    for (String internal :
        List.of(
            "http://10.0.0.1/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://[::1]:8080/",
            "http://[::ffff:10.0.0.1]/",
            "http://[fd00:ec2::254]/",
            "http://0.0.0.0:8080/",
            "http://no-such-host.invalid/")) {
      bodies.put(
          "internal " + internal, "{\"url\":\"" + internal + "\",\"eventTypes\":[\"SeatsHeld\"]}");
    }
    bodies.put(
        "trailing data", "{\"url\":\"http://example.org/\",\"eventTypes\":[\"SeatsHeld\"]} x");
    for (Map.Entry<String, String> body : bodies.entrySet()) {
      assertProblem(post("/partners/webhooks", ADMIN, body.getValue()), 400, body.getKey());
    }
    assertProblem(post("/partners/webhooks", ADMIN, "{not json"), 400, "malformed JSON");
    String customer = TestTokens.get().token("c-" + UUID.randomUUID(), Role.CUSTOMER);
    assertProblem(
        post(
            "/partners/webhooks",
            customer,
            "{\"url\":\"http://example.org/\",\"eventTypes\":[\"SeatsHeld\"]}"),
        403,
        "a customer");
    assertProblem(get("/partners/webhooks", null), 401, "no token");
    assertProblem(get("/partners/webhooks/nope", ADMIN), 404, "unknown webhook");
    assertProblem(get("/partners/webhooks/nope/deliveries", ADMIN), 404, "unknown webhook's log");
    assertProblem(get("/partners/webhooks?page=-1", ADMIN), 400, "negative page");
    assertProblem(get("/partners/webhooks?page=1000", ADMIN), 400, "page past the end");
    assertProblem(get("/partners/webhooks?size=1000", ADMIN), 400, "size too large");
    String webhook =
        register("/quiet-" + UUID.randomUUID(), "TicketIssued").at("/webhook/webhookId").asString();
    assertProblem(
        get("/partners/webhooks/" + webhook + "/deliveries?status=LOST", ADMIN),
        400,
        "unknown status");
    assertThat(json(get("/partners/webhooks?size=100", ADMIN)).get("total").asInt())
        .isEqualTo(before + 1);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Verifies a delivery as a partner does: HMAC-SHA256 of "t.body", compared in constant time. */
  private static boolean verify(byte[] secret, Receiver.Received delivery) throws Exception {
    String header = delivery.headers().get("Guichet-Signature");
    Map<String, String> parts = new HashMap<>();
    for (String part : header.split(",")) {
      String[] pair = part.split("=", 2);
      parts.put(pair[0], pair[1]);
    }
    long timestamp = Long.parseLong(parts.get("t"));
    if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
      return false;
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    byte[] expected =
        mac.doFinal((timestamp + "." + delivery.body()).getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.get("v1")));
  }

  private static JsonNode register(String path, String... types) throws Exception {
    HttpResponse<String> created =
        post(
            "/partners/webhooks",
            ADMIN,
            JSON.writeValueAsString(
                Map.of(
                    "url", receiver.url(path), "eventTypes", List.of(types), "description", "it")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json(created);
  }

  private static ConsumerRecord<String, String> deadLetter(String deliveryId) {
    return INFRA
        .readTextUntil(
            KafkaDeadLetters.TOPIC,
            record -> {
              var header = record.headers().lastHeader(KafkaDeadLetters.DELIVERY);
              return header != null
                  && deliveryId.equals(new String(header.value(), StandardCharsets.UTF_8));
            },
            r -> !r.isEmpty())
        .get(0);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String what)
      throws Exception {
    assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .as(what)
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String token, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static void publish(String topic, String key, SpecificRecord event) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      producer.send(new ProducerRecord<>(topic, key, event)).get();
    }
  }

  private static SeatsHeld held(String event, String reservation) {
    return PurchaseFixtures.held(event, "floor", reservation, "c-1", 2);
  }

  private static ReservationConfirmed confirmed(String event, String reservation) {
    return PurchaseFixtures.confirmed(event, "floor", reservation, "c-1", 2);
  }

  /** How many of a webhook's deliveries the log shows with this status. */
  private static int deliveries(String webhook, String status) throws Exception {
    return json(get("/partners/webhooks/" + webhook + "/deliveries?status=" + status, ADMIN))
        .get("total")
        .asInt();
  }
}
