package io.guichet.booking.waitingroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.booking.BookingApplication;
import io.guichet.booking.waitingroom.domain.AdmissionPass;
import io.guichet.events.waitingroom.AdmissionPaused;
import io.guichet.events.waitingroom.BuyersAdmitted;
import io.guichet.events.waitingroom.QueueOrderDrawn;
import io.guichet.platform.access.Role;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import io.guichet.testsupport.WaitingRoomFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The waiting room over real HTTP, with booking's allocator, the room's writer, the admission ticks
 * and PostgreSQL: arrivals get places (the pre-queue drawn at the opening, later arrivals in log
 * order), buyers are admitted in order and reserve with their pass, and waiting buyers learn when
 * it is sold out.
 */
class WaitingRoomIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
  private static final String ORGANIZER = "organizer";
  private static ConfigurableApplicationContext booking;
  private static String base;

  @BeforeAll
  static void startBooking() throws Exception {
    INFRA.postgres().createDatabase("booking_room_it");
    List<String> access = TestTokens.accessArgs();
    booking =
        BookingApplication.application()
            .run(
                access.get(0),
                access.get(1),
                TestTokens.waitingRoomPassKeyArg(),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--guichet.booking.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.booking.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.booking.allocator.application-id=booking-room-it",
                "--guichet.booking.allocator.state-dir="
                    + Files.createTempDirectory("booking-room-it"),
                "--guichet.booking.status.consumer-group=booking-room-it-status",
                "--guichet.booking.waiting-room.consumer-group=booking-room-it-rooms",
                // Not a test of load shedding (the admission benchmark is): the adaptive bound may
                // shrink to a few commands when the mix of requests changes (joins, then
                // reservations), and shed thousands of this test's 64 at a time.
                "--guichet.web.load-shedding.min-in-flight=128",
                "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl("booking_room_it"),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password=");
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) booking).getWebServer().getPort();
  }

  @AfterAll
  static void stopBooking() {
    booking.close();
  }

  @Test
  void a_hundred_thousand_arrivals_get_places_in_fair_order_and_exactly_the_seats_are_held()
      throws Exception {
    String event = "e-room-" + UUID.randomUUID();
    onSale(event, 1_000);
    roomOn(event, Instant.now().plus(Duration.ofHours(1)), 60_000);
    // While the room is on, a reservation without a pass is refused, naming the room.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reserve("c-no-pass", event, null).statusCode() == 403);
    JsonNode refused = JSON.readTree(reserve("c-no-pass", event, null).body());
    assertThat(refused.get("room").asString()).isEqualTo("/waiting-rooms/" + event);

    // Before the opening: 500 buyers over HTTP (one joins twice), 49,500 appended as the front
    // door appends them.
    List<String> early = customers("early", 500);
    Map<String, String> tickets = joinAll(event, early);
    assertThat(tickets).hasSize(500);
    assertThat(join(event, early.get(0)).get("queueTicket").asString())
        .isEqualTo(tickets.get(early.get(0)));
    List<String> earlyLog = customers("early-log", 49_500);
    append(event, earlyLog);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> room(event).get("preQueue").asLong() == 50_000);
    assertThat(room(event).get("open").asBoolean()).isFalse();
    assertThat(place(early.get(1), event).get("state").asString()).isEqualTo("PRE_QUEUE");

    // The organizer opens the sale now: the pre-queue's order is drawn.
    roomOn(event, Instant.now().minusSeconds(1), 60_000);
    await().atMost(Duration.ofSeconds(30)).until(() -> room(event).get("open").asBoolean());
    Map<String, Long> positions = positions(event);
    assertThat(positions).hasSize(50_000);
    assertThat(Set.copyOf(positions.values())).hasSize(50_000);
    assertThat(positions.values().stream().mapToLong(Long::longValue).min()).hasValue(1);
    assertThat(positions.values().stream().mapToLong(Long::longValue).max()).hasValue(50_000);
    // Drawn at random, not in arrival order: about half of consecutive arrivals keep their order.
    int kept = 0;
    for (int i = 1; i < earlyLog.size(); i++) {
      kept += positions.get(earlyLog.get(i)) > positions.get(earlyLog.get(i - 1)) ? 1 : 0;
    }
    assertThat(kept).isBetween(23_000, 26_500);

    // After the opening: places in arrival order.
    List<String> lateLog = customers("late-log", 49_500);
    append(event, lateLog);
    List<String> late = customers("late", 500);
    for (String customer : late) {
      assertThat(join(event, customer).has("queueTicket")).isTrue();
    }
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> room(event).get("placed").asLong() == 100_000);
    positions = positions(event);
    assertThat(Set.copyOf(positions.values())).hasSize(100_000);
    assertThat(positions.values().stream().mapToLong(Long::longValue).max()).hasValue(100_000);
    for (List<String> inOrder : List.of(lateLog, late)) {
      for (int i = 1; i < inOrder.size(); i++) {
        assertThat(positions.get(inOrder.get(i))).isGreaterThan(positions.get(inOrder.get(i - 1)));
      }
    }
    assertThat(positions.get(late.get(0))).isGreaterThan(50_000 + 49_500);

    // Admitted buyers reserve with their pass until nothing is left, a round of them at a time
    // (about 20 s on two cores; it took two to five minutes while each round served every buyer
    // admitted so far).
    Set<String> handled = ConcurrentHashMap.newKeySet();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              buyAdmitted(event, handled);
              return room(event).get("soldOut").asBoolean();
            });
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> held(event) == 1_000 && undecided(event) == 0);
    assertThat(held(event)).isEqualTo(1_000);

    // Every waiting buyer learns it at once, and the room stops admitting.
    String farBack = lateLog.get(40_000);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> place(farBack, event).get("state").asString().equals("SOLD_OUT"));
    long admitted = room(event).get("admittedThrough").asLong();
    assertThat(reserve("c-no-pass", event, null).statusCode()).isEqualTo(403);

    // Admission facts: the draw, then contiguous ranges from place 1, none admitted twice, then
    // the pause.
    List<ConsumerRecord<String, SpecificRecord>> facts =
        INFRA.readUntil(
            Topics.ADMISSIONS.name(),
            record -> event.equals(record.key()),
            read -> read.stream().anyMatch(record -> record.value() instanceof AdmissionPaused));
    assertThat(facts.get(0).value()).isInstanceOf(QueueOrderDrawn.class);
    assertThat(((QueueOrderDrawn) facts.get(0).value()).getPreQueueSize()).isEqualTo(50_000);
    long next = 1;
    for (ConsumerRecord<String, SpecificRecord> fact : facts) {
      if (fact.value() instanceof BuyersAdmitted range) {
        assertThat(range.getFromPosition()).isEqualTo(next);
        assertThat(range.getToPosition()).isGreaterThanOrEqualTo(range.getFromPosition());
        next = range.getToPosition() + 1;
      }
    }
    assertThat(next - 1).isGreaterThanOrEqualTo(1_000).isLessThanOrEqualTo(admitted);
  }

  @Test
  void a_forged_expired_other_event_or_other_account_pass_is_refused_with_a_problem()
      throws Exception {
    String event = "e-pass-" + UUID.randomUUID();
    String other = "e-pass-other-" + UUID.randomUUID();
    onSale(event, 100);
    onSale(other, 100);
    roomOn(event, Instant.now().minusSeconds(1), 60_000);
    roomOn(other, Instant.now().minusSeconds(1), 60_000);
    String buyer = "c-pass-" + UUID.randomUUID();
    await().atMost(Duration.ofSeconds(10)).until(() -> join(event, buyer).has("queueTicket"));
    JsonNode admitted = awaitAdmitted(buyer, event);
    String pass = admitted.get("pass").asString();
    // The place's stream sends the place and ends once the buyer is admitted.
    HttpResponse<String> followed =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/waiting-rooms/" + event + "/queue/me/events"))
                .header("Authorization", TestTokens.bearer(buyer(buyer)))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(followed.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    assertThat(followed.body()).contains("event:place", "\"state\":\"ADMITTED\"", "\"pass\":\"v1.");
    assertThat(Instant.parse(admitted.get("passExpiresAt").asString()))
        .isBetween(Instant.now().plusSeconds(500), Instant.now().plusSeconds(601));

    String flipped = pass.substring(0, pass.length() - 2) + (pass.endsWith("A") ? "BB" : "AA");
    String expired =
        new AdmissionPass(event, buyer, 1, Instant.now().minusSeconds(1))
            .sign(Base64.getUrlDecoder().decode(TestTokens.WAITING_ROOM_PASS_KEY));
    Map<String, String[]> cases =
        Map.of(
            "forged", new String[] {buyer, event, flipped, "signature"},
            "expired", new String[] {buyer, event, expired, "expired"},
            "other event", new String[] {buyer, other, pass, "another event"},
            "other account", new String[] {"c-someone-else", event, pass, "another account"},
            "none", new String[] {buyer, event, null, "no admission pass"});
    for (var refusal : cases.entrySet()) {
      String[] c = refusal.getValue();
      HttpResponse<String> response = reserve(c[0], c[1], c[2]);
      assertThat(response.statusCode()).as(refusal.getKey()).isEqualTo(403);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      JsonNode problem = JSON.readTree(response.body());
      assertThat(problem.get("type").asString()).isEqualTo("/problems/admission-pass-required");
      assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("Admission-Pass");
      assertThat(problem.get("errors").get(0).get("message").asString())
          .as(refusal.getKey())
          .contains(c[3]);
    }
    assertThat(reserve(buyer, event, pass).statusCode()).isEqualTo(202);

    // Turned off, the room wants no pass any more.
    assertThat(send("DELETE", "/waiting-rooms/" + other, organizer(), null).statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reserve("c-after-" + UUID.randomUUID(), other, null).statusCode() == 202);
    assertThat(room(other).get("enabled").asBoolean()).isFalse();
  }

  @Test
  void bad_input_to_every_waiting_room_endpoint_gets_a_problem_and_changes_nothing()
      throws Exception {
    String event = "e-bad-" + UUID.randomUUID();
    onSale(event, 10);
    String good = "{\"opensAt\":\"2031-06-21T18:00:00+02:00\",\"admissionsPerMinute\":600}";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                send("PUT", "/waiting-rooms/e-unknown-" + UUID.randomUUID(), organizer(), good)
                        .statusCode()
                    == 404);
    Object[][] cases = {
      {"{\"opensAt\":", 400, null},
      {"[1]", 400, null},
      {"", 400, null},
      {"{\"admissionsPerMinute\":600}", 400, "opensAt"},
      {"{\"opensAt\":\"tomorrow\"}", 400, "opensAt"},
      {"{\"opensAt\":\"2031-06-21T18:00:00\"}", 400, "opensAt"},
      {"{\"opensAt\":\"9999-12-31T23:59:59Z\"}", 400, "opensAt"},
      {
        "{\"opensAt\":\"2031-06-21T18:00:00Z\",\"admissionsPerMinute\":0}",
        400,
        "admissionsPerMinute"
      },
      {
        "{\"opensAt\":\"2031-06-21T18:00:00Z\",\"admissionsPerMinute\":\"fast\"}",
        400,
        "admissionsPerMinute"
      },
      {
        "{\"opensAt\":\"2031-06-21T18:00:00Z\",\"passLifetimeSeconds\":10}",
        400,
        "passLifetimeSeconds"
      },
      {"{\"opensAt\":\"2031-06-21T18:00:00Z\",\"queue\":\"vip\"}", 400, "queue"},
    };
    for (Object[] c : cases) {
      HttpResponse<String> response =
          send("PUT", "/waiting-rooms/" + event, organizer(), (String) c[0]);
      assertThat(response.statusCode()).as((String) c[0]).isEqualTo(c[1]);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      if (c[2] != null) {
        assertThat(JSON.readTree(response.body()).get("errors").findValuesAsString("field"))
            .contains((String) c[2]);
      }
    }
    String someoneElse = TestTokens.get().token("another-organizer", Role.ORGANIZER);
    String customer = TestTokens.get().token("c-bad", Role.CUSTOMER);
    assertThat(send("PUT", "/waiting-rooms/" + event, someoneElse, good).statusCode())
        .isEqualTo(403);
    assertThat(send("PUT", "/waiting-rooms/" + event, customer, good).statusCode()).isEqualTo(403);
    assertThat(send("PUT", "/waiting-rooms/" + event, null, good).statusCode()).isEqualTo(401);
    assertThat(send("DELETE", "/waiting-rooms/" + event, organizer(), null).statusCode())
        .isEqualTo(404);
    assertThat(send("POST", "/waiting-rooms/" + event + "/queue", customer, null).statusCode())
        .isEqualTo(404);
    assertThat(send("POST", "/waiting-rooms/" + event + "/queue", organizer(), null).statusCode())
        .isEqualTo(403);
    assertThat(send("GET", "/waiting-rooms/" + event + "/queue/me", customer, null).statusCode())
        .isEqualTo(404);
    assertThat(send("GET", "/waiting-rooms/" + event, customer, null).statusCode()).isEqualTo(404);
    // The place's event stream for a room that does not exist says so at once and ends.
    HttpResponse<String> stream =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/waiting-rooms/" + event + "/queue/me/events"))
                .header("Authorization", TestTokens.bearer(customer))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(stream.body()).contains("event:not-found", "\"status\":404");

    // Nothing was recorded for the event: no room, no place.
    DatabaseClient database = booking.getBean(DatabaseClient.class);
    assertThat(
            database
                .sql("SELECT count(*) AS n FROM waiting_rooms WHERE event_id = $1")
                .bind(0, event)
                .map(row -> row.get("n", Long.class))
                .one()
                .block())
        .isZero();
    // A good request after all of them is the first fact of this event on the room's topic.
    assertThat(send("PUT", "/waiting-rooms/" + event, organizer(), good).statusCode())
        .isEqualTo(202);
    List<ConsumerRecord<String, SpecificRecord>> recorded =
        INFRA.readUntil(
            Topics.WAITING_ROOM.name(),
            record -> event.equals(record.key()),
            read -> !read.isEmpty());
    assertThat(recorded).hasSize(1);
  }

  // --- helpers

  private static void onSale(String event, int seats) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (SpecificRecord fact : CatalogFixtures.onSale(event, "solo", 1, seats, 1, 1)) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, fact)).get();
      }
    }
  }

  private static void roomOn(String event, Instant opening, int perMinute) {
    Instant opensAt = opening.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String body = "{\"opensAt\":\"" + opensAt + "\",\"admissionsPerMinute\":" + perMinute + "}";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> send("PUT", "/waiting-rooms/" + event, organizer(), body).statusCode() == 202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              HttpResponse<String> room = send("GET", "/waiting-rooms/" + event, organizer(), null);
              return room.statusCode() == 200
                      && JSON.readTree(room.body())
                          .get("opensAt")
                          .asString()
                          .equals(opensAt.toString())
                  || room.statusCode() == 200 && JSON.readTree(room.body()).get("open").asBoolean();
            });
    // Booking reads which rooms are on when one changes: the room guards the event from then.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reserve("c-probe", event, null).statusCode() == 403);
  }

  private static List<String> customers(String prefix, int n) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> customers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      customers.add(prefix + "-" + run + "-" + i);
    }
    return customers;
  }

  private static void append(String event, List<String> customers) {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      WaitingRoomFixtures.append(producer, event, customers);
    }
  }

  private static Map<String, String> joinAll(String event, List<String> customers)
      throws Exception {
    Map<String, String> tickets = new ConcurrentHashMap<>();
    for (int from = 0; from < customers.size(); from += 50) {
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (String customer : customers.subList(from, Math.min(customers.size(), from + 50))) {
        sent.add(
            HTTP.sendAsync(
                    request("POST", "/waiting-rooms/" + event + "/queue", buyer(customer), null),
                    HttpResponse.BodyHandlers.ofString())
                .thenAccept(
                    response -> {
                      assertThat(response.statusCode()).isEqualTo(202);
                      try {
                        tickets.put(
                            customer, JSON.readTree(response.body()).get("queueTicket").asString());
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    }));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
    return tickets;
  }

  private static JsonNode join(String event, String customer) throws Exception {
    HttpResponse<String> response =
        send("POST", "/waiting-rooms/" + event + "/queue", buyer(customer), null);
    return JSON.readTree(response.body());
  }

  /** Admitted buyers served a round at a time. */
  private static final int ROUND = 256;

  /**
   * The next {@link #ROUND} admitted buyers not seen yet get their pass and reserve one ticket with
   * it.
   */
  private static void buyAdmitted(String event, Set<String> handled) {
    List<String> admitted =
        booking
            .getBean(DatabaseClient.class)
            .sql(
                "SELECT customer_id FROM queue_places p JOIN waiting_rooms w USING (event_id)"
                    + " WHERE event_id = $1 AND p.position <= w.admitted_through ORDER BY position")
            .bind(0, event)
            .map(row -> row.get("customer_id", String.class))
            .all()
            .filter(customer -> !handled.contains(customer))
            // A round at a time, so that the sell-out is seen soon after it happens: at 1,000
            // admissions a second, all the admitted buyers would be thousands a round, each asking
            // (and refused once sold out) before the next look.
            .take(ROUND)
            .doOnNext(handled::add)
            .collectList()
            .block();
    for (int from = 0; from < admitted.size(); from += 64) {
      List<CompletableFuture<?>> sent = new ArrayList<>();
      for (String customer : admitted.subList(from, Math.min(admitted.size(), from + 64))) {
        sent.add(
            served(request("GET", "/waiting-rooms/" + event + "/queue/me", buyer(customer), null))
                .thenCompose(
                    response -> {
                      JsonNode place = read(response.body());
                      if (!"ADMITTED".equals(place.path("state").asString())) {
                        // The room a buyer sees may be a quarter of a second behind the table:
                        // they are asked again at the next round.
                        assertThat(place.path("state").asString()).isEqualTo("WAITING");
                        handled.remove(customer);
                        return CompletableFuture.completedFuture(null);
                      }
                      // One reservation a buyer, however often it is sent again.
                      return served(
                              reservation(
                                  customer,
                                  event,
                                  place.get("pass").asString(),
                                  "room-" + customer))
                          .thenAccept(
                              reserved ->
                                  assertThat(reserved.statusCode())
                                      .as(reserved.body())
                                      .isEqualTo(202));
                    }));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
  }

  private static JsonNode awaitAdmitted(String customer, String event) {
    JsonNode[] place = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              place[0] = place(customer, event);
              return "ADMITTED".equals(place[0].path("state").asString());
            });
    return place[0];
  }

  private static JsonNode place(String customer, String event) throws Exception {
    return JSON.readTree(
        send("GET", "/waiting-rooms/" + event + "/queue/me", buyer(customer), null).body());
  }

  private static JsonNode room(String event) throws Exception {
    return JSON.readTree(send("GET", "/waiting-rooms/" + event, organizer(), null).body());
  }

  private static Map<String, Long> positions(String event) {
    Map<String, Long> positions = new java.util.HashMap<>();
    booking
        .getBean(DatabaseClient.class)
        .sql("SELECT customer_id, position FROM queue_places WHERE event_id = $1")
        .bind(0, event)
        .map(
            row -> Map.entry(row.get("customer_id", String.class), row.get("position", Long.class)))
        .all()
        .doOnNext(entry -> positions.put(entry.getKey(), entry.getValue()))
        .blockLast();
    return positions;
  }

  private static long held(String event) {
    return count(event, "HELD");
  }

  private static long undecided(String event) {
    return count(event, "REQUESTED");
  }

  private static long count(String event, String status) {
    return booking
        .getBean(DatabaseClient.class)
        .sql("SELECT count(*) AS n FROM reservation_status WHERE event_id = $1 AND status = $2")
        .bind(0, event)
        .bind(1, status)
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  private static HttpResponse<String> reserve(String customer, String event, String pass)
      throws Exception {
    return HTTP.send(reservation(customer, event, pass), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest reservation(String customer, String event, String pass) {
    return reservation(customer, event, pass, null);
  }

  /**
   * The answer once the service serves the request: a 503 (the service shedding load, or a write it
   * could not record) is sent again after its {@code Retry-After}, as a client does.
   */
  private static CompletableFuture<HttpResponse<String>> served(HttpRequest request) {
    return served(request, 30);
  }

  private static CompletableFuture<HttpResponse<String>> served(HttpRequest request, int tries) {
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenCompose(
            response -> {
              if (response.statusCode() != 503 || tries <= 1) {
                return CompletableFuture.completedFuture(response);
              }
              long seconds =
                  response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
              return CompletableFuture.supplyAsync(
                      () -> request, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS))
                  .thenCompose(again -> served(again, tries - 1));
            });
  }

  /**
   * @param idempotencyKey the request's key, so that sending it again records it once (or null)
   */
  private static HttpRequest reservation(
      String customer, String event, String pass, String idempotencyKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/reservations"))
            .header("Authorization", TestTokens.bearer(buyer(customer)))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":1}"));
    if (pass != null) {
      request.header("Admission-Pass", pass);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return request.build();
  }

  private static String buyer(String customer) {
    return TOKENS.computeIfAbsent(customer, id -> TestTokens.get().token(id, Role.CUSTOMER));
  }

  private static String organizer() {
    return TOKENS.computeIfAbsent(
        "@organizer", id -> TestTokens.get().token(ORGANIZER, Role.ORGANIZER));
  }

  private static HttpRequest request(String method, String path, String token, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return request
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    return HTTP.send(request(method, path, token, body), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(body, e);
    }
  }
}
