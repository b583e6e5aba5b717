package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.booking.BookingApplication;
import io.guichet.payment.PaymentApplication;
import io.guichet.platform.access.Role;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import io.guichet.ticketing.TicketingApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A payment that reaches booking after the hold ended, across the real services: booking's
 * allocator rejects it (HOLD_EXPIRED), payment refunds it, and ticketing issues no ticket.
 *
 * <p>To make the payment late on purpose, the allocator is stopped while the buyer pays within the
 * hold, and started again once the hold has ended: it then decides the payment after the hold.
 */
class LatePaymentIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BUYER = TestTokens.get().token("c-1", Role.CUSTOMER);

  @Test
  void a_payment_after_the_hold_is_refunded_and_gets_no_ticket() throws Exception {
    String run = "late-" + UUID.randomUUID().toString().substring(0, 8);
    Path allocatorState = Files.createTempDirectory("late-payment-allocator");
    String event = "e-" + UUID.randomUUID();
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (SpecificRecord fact : CatalogFixtures.onSale(event, "solo", 1, 10, 4, 4)) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, fact)).get();
      }
    }
    String bookingDb = database("booking", run);
    try (ConfigurableApplicationContext payment = payment(database("payment", run), run);
        ConfigurableApplicationContext ticketing = ticketing(database("ticketing", run), run)) {
      String reservation;
      JsonNode held;
      try (ConfigurableApplicationContext booking = booking(bookingDb, run, allocatorState)) {
        String base = base(booking);
        HttpResponse<String>[] accepted = new HttpResponse[1];
        String request =
            "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":2,\"customer\":\"c-1\"}";
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  accepted[0] = post(base + "/reservations", request);
                  return accepted[0].statusCode() == 202;
                });
        reservation = JSON.readTree(accepted[0].body()).get("reservationId").asString();
        held = awaitStatus(base, reservation, "HELD");
      }
      // The allocator is down. The buyer pays within the hold.
      Instant holdEnd = Instant.parse(held.get("expiresAt").asString());
      String pay =
          "{\"reservation\":\""
              + reservation
              + "\",\"amountMinor\":"
              + held.get("amountMinor").asLong()
              + ",\"currency\":\""
              + held.get("currency").asString()
              + "\",\"paymentMethod\":\"4242424242424242\"}";
      HttpResponse<String>[] paid = new HttpResponse[1];
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                paid[0] = post(base(payment) + "/payments", pay);
                return paid[0].statusCode() != 404;
              });
      assertThat(paid[0].statusCode()).as(paid[0].body()).isEqualTo(201);
      assertThat(Instant.now()).isBefore(holdEnd);
      String self = paid[0].headers().firstValue("Location").orElseThrow();

      // The allocator comes back after the hold has ended and reads the payment.
      await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(holdEnd));
      try (ConfigurableApplicationContext booking = booking(bookingDb, run, allocatorState)) {
        JsonNode rejected = awaitStatus(base(booking), reservation, "EXPIRED");
        assertThat(rejected.get("status").asString()).isEqualTo("EXPIRED");

        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    JSON.readTree(get(base(payment) + self).body())
                        .get("status")
                        .asString()
                        .equals("REFUNDED"));

        // Ticketing has read every outcome booking published, and issued nothing for it.
        Map<TopicPartition, Long> ends = ends(Topics.RESERVATIONS.name());
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> readPast(database("ticketing", run), "ticketing-" + run, ends));
        JsonNode tickets =
            JSON.readTree(get(base(ticketing) + "/tickets?reservation=" + reservation).body());
        assertThat(tickets.get("tickets")).isEmpty();
      }
    }
  }

  private static JsonNode awaitStatus(String base, String reservation, String wanted) {
    JsonNode[] seen = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HttpResponse<String> response = get(base + "/reservations/" + reservation);
              seen[0] = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
              return seen[0] != null && seen[0].get("status").asString().equals(wanted);
            });
    return seen[0];
  }

  private static Map<TopicPartition, Long> ends(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < Topics.RESERVATIONS.partitions(); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    INFRA
        .admin()
        .listOffsets(latest)
        .all()
        .get()
        .forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** Whether the consumer's stored positions are at or past these ends (give or take a marker). */
  private static boolean readPast(String database, String consumer, Map<TopicPartition, Long> ends)
      throws Exception {
    Map<TopicPartition, Long> at = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(INFRA.postgres().jdbcUrl(database));
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT topic, partition_no, next_offset FROM consumed_offsets WHERE consumer = '"
                    + consumer
                    + "'")) {
      while (rows.next()) {
        at.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
      }
    }
    // A transaction's commit marker takes an offset that no consumer reads: one of slack.
    return ends.entrySet().stream()
        .allMatch(end -> at.getOrDefault(end.getKey(), 0L) >= end.getValue() - 1);
  }

  private static String database(String service, String run) {
    return service + "_" + run.replace('-', '_');
  }

  private static ConfigurableApplicationContext booking(String db, String run, Path state) {
    INFRA.postgres().createDatabase(db);
    return BookingApplication.application()
        .run(
            common(
                db,
                "--guichet.booking.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.booking.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.booking.allocator.application-id=booking-" + run,
                "--guichet.booking.allocator.state-dir=" + state,
                "--guichet.booking.allocator.hold=30s",
                "--guichet.booking.status.consumer-group=booking-status-" + run,
                "--guichet.booking.waiting-room.consumer-group=booking-rooms-" + run,
                TestTokens.waitingRoomPassKeyArg()));
  }

  private static ConfigurableApplicationContext payment(String db, String run) {
    INFRA.postgres().createDatabase(db);
    return PaymentApplication.application()
        .run(
            common(
                db,
                "--guichet.payment.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.payment.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.payment.consumer-group=payment-" + run));
  }

  private static ConfigurableApplicationContext ticketing(String db, String run) {
    INFRA.postgres().createDatabase(db);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return TicketingApplication.application()
        .run(
            common(
                db,
                "--guichet.ticketing.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.ticketing.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.ticketing.consumer-group=ticketing-" + run,
                "--guichet.ticketing.master-key=" + Base64.getEncoder().encodeToString(key),
                TestTokens.ticketCodeKeyArg("ticketing")));
  }

  private static String[] common(String db, String... settings) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl(db),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password="));
    args.addAll(TestTokens.accessArgs());
    args.addAll(List.of(settings));
    return args.toArray(String[]::new);
  }

  private static String base(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** The buyer's requests carry the buyer's access token. */
  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", TestTokens.bearer(BUYER))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", TestTokens.bearer(BUYER))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
