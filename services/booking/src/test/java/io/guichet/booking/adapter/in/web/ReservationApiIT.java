package io.guichet.booking.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.booking.BookingApplication;
import io.guichet.booking.adapter.out.r2dbc.IdempotentRequests;
import io.guichet.events.booking.RejectionReason;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.booking.WaitingListStatus;
import io.guichet.events.booking.WaitingListUpdated;
import io.guichet.events.catalog.AccessCodeCreated;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.platform.access.Role;
import io.guichet.platform.ids.AccessCodes;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Booking over real HTTP, with its allocator, status projection and PostgreSQL: requests are
 * admitted or refused with problem+json, published once, held, followed and cancelled.
 */
class ReservationApiIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ConfigurableApplicationContext booking;
  private static String base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String event = "e-" + UUID.randomUUID();
  private final String offer = "solo";
  private String warmUpId;

  @BeforeAll
  static void startBooking() throws IOException {
    INFRA.postgres().createDatabase("booking_api_it");
    List<String> access = TestTokens.accessArgs();
    booking =
        BookingApplication.application()
            .run(
                access.get(0),
                access.get(1),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--guichet.booking.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.booking.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.booking.allocator.application-id=booking-api-it",
                "--guichet.booking.allocator.state-dir="
                    + Files.createTempDirectory("booking-api-it"),
                "--guichet.booking.status.consumer-group=booking-api-it-status",
                "--guichet.booking.waiting-room.consumer-group=booking-api-it-rooms",
                TestTokens.waitingRoomPassKeyArg(),
                "--guichet.booking.status.follow-timeout=60s",
                "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl("booking_api_it"),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password=");
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) booking).getWebServer().getPort();
  }

  @AfterAll
  static void stopBooking() {
    booking.close();
  }

  @BeforeEach
  void putOnSale() throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (SpecificRecord fact : CatalogFixtures.onSale(event, offer, 1, 10, 4, 6)) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, fact)).get();
      }
    }
    // Booking knows the offer once a request for it stops being refused as unknown.
    HttpResponse<String>[] warmUp = new HttpResponse[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              warmUp[0] = post("warm-up-" + event, body(event, offer, 1), null);
              return warmUp[0].statusCode() == 202;
            });
    warmUpId = JSON.readTree(warmUp[0].body()).get("reservationId").asString();
  }

  @Test
  void a_request_is_held_followed_as_it_changes_and_cancelled() throws Exception {
    HttpResponse<String> accepted = post("c-1", body(event, offer, 2), null);

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode answer = JSON.readTree(accepted.body());
    String id = answer.get("reservationId").asString();
    assertThat(accepted.headers().firstValue("Location")).hasValue("/reservations/" + id);
    assertThat(answer.at("/links/events").asString()).isEqualTo("/reservations/" + id + "/events");

    List<String> seen = new CopyOnWriteArrayList<>();
    Disposable stream =
        follow("c-1", id)
            .filter(sse -> sse.data() != null)
            .subscribe(sse -> seen.add((String) sse.data().get("status")));

    await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("HELD"));
    JsonNode held = JSON.readTree(get("c-1", "/reservations/" + id).body());
    assertThat(held.get("status").asString()).isEqualTo("HELD");
    assertThat(held.get("seats").asInt()).isEqualTo(2);
    assertThat(held.get("amountMinor").asLong()).isEqualTo(9_000);
    // "Pay before 18:42": an ISO-8601 instant about the hold's length (10 minutes) from now.
    assertThat(Instant.parse(held.get("expiresAt").asString()))
        .isBetween(Instant.now().plusSeconds(500), Instant.now().plusSeconds(601));

    HttpResponse<String> cancel = delete("c-1", "/reservations/" + id);
    assertThat(cancel.statusCode()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("CANCELLED"));
    await().atMost(Duration.ofSeconds(5)).until(stream::isDisposed);
    assertThat(seen).endsWith("HELD", "CANCELLED");
    HttpResponse<String> again = delete("c-1", "/reservations/" + id);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void front_door_answers_and_committed_outcomes_are_counted_once_each() throws Exception {
    // An event of its own, without the warm-up's hold: 8 seats, 4 per order.
    String counted = "e-counted-" + UUID.randomUUID();
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (SpecificRecord fact : CatalogFixtures.onSale(counted, offer, 1, 8, 4, 6)) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), counted, fact)).get();
      }
    }
    // Booking knows the offer once too large an order is refused for its quantity, not its offer.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> post("m-0", body(counted, offer, 5), null).body().contains("quantity"));
    // The meters count every reservation of this booking instance: wait until the warm-up's hold
    // is counted, and nothing else moves, before taking the baseline.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status("warm-up-" + event, warmUpId).equals("HELD"));
    MeterRegistry meters = booking.getBean(MeterRegistry.class);
    double[] last = {-1};
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              double now = count(meters, "guichet.reservations.held");
              boolean settled = now == last[0];
              last[0] = now;
              return settled;
            });
    double held = count(meters, "guichet.reservations.held");
    double seats = count(meters, "guichet.seats.held");
    double soldOut = count(meters, "guichet.reservations.rejected", "reason", "sold_out");
    double accepted = count(meters, "guichet.reservations.requests", "outcome", "accepted");
    double invalid = count(meters, "guichet.reservations.requests", "outcome", "invalid");

    // 2 and 4 seats are held; 4 more do not fit in the 8.
    String first = reserve("m-1", counted, 2);
    String second = reserve("m-2", counted, 4);
    String third = reserve("m-3", counted, 4);
    assertThat(post("m-4", "{\"event\":", null).statusCode()).isEqualTo(400);
    await().atMost(Duration.ofSeconds(30)).until(() -> status("m-1", first).equals("HELD"));
    await().atMost(Duration.ofSeconds(30)).until(() -> status("m-2", second).equals("HELD"));
    await().atMost(Duration.ofSeconds(30)).until(() -> status("m-3", third).equals("REJECTED"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(count(meters, "guichet.reservations.held")).isEqualTo(held + 2);
              assertThat(count(meters, "guichet.seats.held")).isEqualTo(seats + 6);
              assertThat(count(meters, "guichet.reservations.rejected", "reason", "sold_out"))
                  .isEqualTo(soldOut + 1);
            });
    assertThat(count(meters, "guichet.reservations.requests", "outcome", "accepted"))
        .isEqualTo(accepted + 3);
    assertThat(count(meters, "guichet.reservations.requests", "outcome", "invalid"))
        .isEqualTo(invalid + 1);
  }

  /**
   * Issue 19's acceptance for access codes: a presale code with 100 uses, sent by 5,000 buyers at
   * once (as typed, in lower case), is used exactly 100 times; buyers without it wait for the
   * opening; a hidden offer is refused without its code (as if it did not exist) and sold with it,
   * at its reduced price.
   */
  @Test
  void a_code_with_a_hundred_uses_is_used_exactly_a_hundred_times_in_a_burst_of_five_thousand()
      throws Exception {
    String presale = "e-presale-" + UUID.randomUUID();
    List<SpecificRecord> facts =
        new ArrayList<>(CatalogFixtures.onSale(presale, offer, 1, 2_000, 4, 4));
    facts.remove(2); // SalesOpened: the presale comes before the opening.
    facts.add(
        OfferPublished.newBuilder((OfferPublished) facts.get(1))
            .setId(UUID.randomUUID().toString())
            .setOfferId("vip")
            .setName("VIP")
            .setPriceMinor(10_000)
            .setSeatsOnSale(10)
            .setHidden(true)
            .build());
    facts.add(code(presale, "fans-code", "FANS-100", List.of(offer), 100, true, 0));
    facts.add(code(presale, "vip-code", "VIP-2027", List.of("vip"), 5, true, 2_500));
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (SpecificRecord fact : facts) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), presale, fact)).get();
      }
    }
    // Booking knows the offers once too large an order is refused for its quantity.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> post("v-0", body(presale, offer, 5), null).body().contains("quantity"));

    // The hidden offer, without its code: the same answer as an offer that does not exist.
    HttpResponse<String> hidden = post("v-1", body(presale, "vip", 1), null);
    assertThat(hidden.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(hidden.body()).at("/errors/0/field").asString()).isEqualTo("offer");
    assertThat(hidden.body()).contains("has no offer vip");
    // A code that is not one (too short, a space in it) is refused naming the field.
    HttpResponse<String> malformed = post("v-1", withCode(body(presale, "vip", 1), "a b"), null);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).at("/errors/0/field").asString())
        .isEqualTo("accessCode");

    // 5,000 buyers with the code and 50 without, at once: 20 of them over HTTP (the code as typed,
    // in lower case), the rest straight onto the requests topic as the front door publishes them
    // (over HTTP this machine's front door takes some 45 s for 5,000 distinct buyers' tokens, and
    // what is under test is the allocator's count, in partition order).
    Map<String, String> reservations = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> withCode = new ArrayList<>();
    List<String> without = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (int i = 0; i < 5_050; i++) {
        String customer = i < 5_000 ? "fan-" + i : "plain-" + i;
        (i < 5_000 ? withCode : without).add(customer);
        if (i % 250 == 0) {
          HttpResponse<String> answer =
              post(
                  customer,
                  i < 5_000
                      ? withCode(body(presale, offer, 1), "fans-100")
                      : body(presale, offer, 1),
                  null);
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
          reservations.put(customer, JSON.readTree(answer.body()).get("reservationId").asString());
          continue;
        }
        ReservationRequested request =
            CatalogFixtures.request(presale, presale + "/" + customer, offer, customer, 1);
        if (i < 5_000) {
          request.setAccessCodeDigest(AccessCodes.digest(presale, "FANS-100"));
        }
        producer.send(new ProducerRecord<>(Topics.RESERVATION_REQUESTS.name(), presale, request));
        reservations.put(customer, request.getReservationId());
      }
      producer.flush();
    }
    String vip = reserve("v-1", presale, "vip", "vip-2027");

    // Every request's outcome.
    java.util.Set<String> answered = new java.util.HashSet<>(reservations.values());
    answered.add(vip);
    List<ConsumerRecord<String, SpecificRecord>> outcomes =
        INFRA.readUntil(
            Topics.RESERVATIONS.name(),
            record -> presale.equals(((GenericRecord) record.value()).get("eventId")),
            read ->
                read.stream()
                    .map(ConsumerRecord::key)
                    .collect(Collectors.toSet())
                    .containsAll(answered));
    Map<String, SpecificRecord> byReservation = new java.util.HashMap<>();
    outcomes.forEach(record -> byReservation.put(record.key(), record.value()));
    assertThat(byReservation).hasSameSizeAs(outcomes);

    List<SeatsHeld> held =
        outcomes.stream()
            .map(ConsumerRecord::value)
            .filter(SeatsHeld.class::isInstance)
            .map(SeatsHeld.class::cast)
            .filter(h -> h.getOfferId().equals(offer))
            .toList();
    assertThat(held)
        .hasSize(100)
        .allSatisfy(h -> assertThat(h.getAccessCodeId()).isEqualTo("fans-code"));
    Map<RejectionReason, Long> refusals =
        outcomes.stream()
            .map(ConsumerRecord::value)
            .filter(ReservationRejected.class::isInstance)
            .collect(
                Collectors.groupingBy(
                    r -> ((ReservationRejected) r).getReason(), Collectors.counting()));
    assertThat(refusals.keySet())
        .containsOnly(RejectionReason.CODE_USED_UP, RejectionReason.SALES_NOT_OPEN);
    assertThat(outcomes).hasSize(5_051);
    assertThat(refusals.get(RejectionReason.CODE_USED_UP)).isEqualTo(4_900);
    assertThat(
            without.stream()
                .map(customer -> byReservation.get(reservations.get(customer)))
                .map(r -> ((ReservationRejected) r).getReason()))
        .hasSize(50)
        .containsOnly(RejectionReason.SALES_NOT_OPEN);
    SeatsHeld vipHold = (SeatsHeld) byReservation.get(vip);
    assertThat(vipHold.getAccessCodeId()).isEqualTo("vip-code");
    assertThat(vipHold.getAmountMinor()).as("100.00 less 25 %").isEqualTo(7_500);
    // The buyer follows it as any other.
    await().atMost(Duration.ofSeconds(30)).until(() -> status("v-1", vip).equals("HELD"));
  }

  /**
   * The waiting list's front door: a join is checked against the catalog and published; the
   * allocator decides (here it refuses: seats are on sale); bad input is refused naming the field.
   */
  @Test
  void a_waiting_list_join_is_published_for_the_allocator_and_bad_input_is_refused()
      throws Exception {
    HttpResponse<String> joined =
        send(
            as("w-1", HttpRequest.newBuilder(uri("/waiting-lists")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(event, offer, 2))));
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(202);
    String entry = JSON.readTree(joined.body()).get("entryId").asString();
    assertThat(joined.headers().firstValue("Location")).hasValue("/views/waiting-lists/" + entry);
    List<ConsumerRecord<String, SpecificRecord>> decided =
        INFRA.readUntil(
            Topics.RESERVATIONS.name(),
            record -> entry.equals(record.key()),
            read -> !read.isEmpty());
    WaitingListUpdated refused = (WaitingListUpdated) decided.get(0).value();
    assertThat(refused.getStatus()).isEqualTo(WaitingListStatus.REFUSED);
    assertThat(refused.getDetail()).isEqualTo("seats are on sale: reserve them");
    assertThat(refused.getCustomerId()).isEqualTo("w-1");

    for (String[] bad :
        List.of(
            new String[] {"{\"event\":\"" + event + "\",\"offer\":\"" + offer + "\"}", "quantity"},
            new String[] {body(event, offer, 0), "quantity"},
            new String[] {body(event, "no-such-offer", 1), "offer"},
            new String[] {body(event, offer, 5), "quantity"},
            new String[] {body("e-unknown", offer, 1), "event"})) {
      HttpResponse<String> answer =
          send(
              as("w-2", HttpRequest.newBuilder(uri("/waiting-lists")))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(bad[0])));
      assertThat(answer.statusCode()).as(bad[0]).isBetween(400, 422);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(JSON.readTree(answer.body()).at("/errors/0/field").asString())
          .as(bad[0])
          .isEqualTo(bad[1]);
    }
  }

  private static SpecificRecord code(
      String event,
      String id,
      String code,
      List<String> offers,
      int uses,
      boolean presale,
      int discountBasisPoints) {
    return AccessCodeCreated.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEventId(event)
        .setCodeId(id)
        .setCodeDigest(AccessCodes.digest(event, code))
        .setOfferIds(offers)
        .setUses(uses)
        .setValidFrom(null)
        .setValidUntil(null)
        .setPresale(presale)
        .setDiscountBasisPoints(discountBasisPoints)
        .build();
  }

  private static String withCode(String body, String code) {
    return body.substring(0, body.length() - 1) + ",\"accessCode\":\"" + code + "\"}";
  }

  private String reserve(String customer, String event, String offer, String code)
      throws Exception {
    HttpResponse<String> answer = post(customer, withCode(body(event, offer, 1), code), null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return JSON.readTree(answer.body()).get("reservationId").asString();
  }

  private String reserve(String customer, String event, int quantity) throws Exception {
    HttpResponse<String> answer = post(customer, body(event, offer, quantity), null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return JSON.readTree(answer.body()).get("reservationId").asString();
  }

  private static double count(MeterRegistry meters, String name, String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }

  private String status(String customer, String id) throws Exception {
    HttpResponse<String> answer = get(customer, "/reservations/" + id);
    return answer.statusCode() == 200
        ? JSON.readTree(answer.body()).get("status").asString()
        : "unknown";
  }

  @Test
  void a_reservation_is_seen_and_cancelled_only_by_its_customer_or_an_admin() throws Exception {
    String owner = "c-" + UUID.randomUUID();
    String id =
        JSON.readTree(post(owner, body(event, offer, 1), null).body())
            .get("reservationId")
            .asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> JSON.readTree(get(owner, "/reservations/" + id).body()).path("status").asString(),
            "HELD"::equals);
    String other = "c-" + UUID.randomUUID();

    // Someone else's reservation is answered exactly as an unknown one.
    HttpResponse<String> seen = get(other, "/reservations/" + id);
    assertThat(seen.statusCode()).isEqualTo(404);
    assertThat(seen.body()).doesNotContain(owner);
    assertThat(delete(other, "/reservations/" + id).statusCode()).isEqualTo(404);
    List<String> events = new CopyOnWriteArrayList<>();
    follow(other, id).doOnNext(sse -> events.add(sse.event())).blockLast(Duration.ofSeconds(20));
    assertThat(events).containsExactly("not-found");

    // Without a token, or with a token that is not a customer's, nothing is reserved or shown.
    HttpResponse<String> anonymous =
        send(
            HttpRequest.newBuilder(uri("/reservations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(event, offer, 1))));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(send(HttpRequest.newBuilder(uri("/reservations/" + id)).GET()).statusCode())
        .isEqualTo(401);
    // A bearer header that holds no token is an invalid token (401), whatever follows it.
    for (String malformed : List.of("Bearer not a token", "Bearer ", "bearer a=b")) {
      HttpResponse<String> refused =
          send(
              HttpRequest.newBuilder(uri("/reservations"))
                  .header("Authorization", malformed)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body(event, offer, 1))));
      assertThat(refused.statusCode()).as(malformed).isEqualTo(401);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    String organizer = TestTokens.get().token(owner, Role.ORGANIZER);
    HttpResponse<String> byOrganizer =
        send(
            HttpRequest.newBuilder(uri("/reservations"))
                .header("Authorization", TestTokens.bearer(organizer))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(event, offer, 1))));
    assertThat(byOrganizer.statusCode()).isEqualTo(403);

    // An admin sees it; its customer still holds it (nothing above changed it).
    String admin = TestTokens.get().token("admin-" + UUID.randomUUID(), Role.ADMIN);
    HttpResponse<String> byAdmin =
        send(
            HttpRequest.newBuilder(uri("/reservations/" + id))
                .header("Authorization", TestTokens.bearer(admin))
                .GET());
    assertThat(byAdmin.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(byAdmin.body()).get("customer").asString()).isEqualTo(owner);
    assertThat(JSON.readTree(get(owner, "/reservations/" + id).body()).get("status").asString())
        .isEqualTo("HELD");
  }

  @Test
  void retries_with_one_idempotency_key_get_the_first_answer_and_publish_one_request()
      throws Exception {
    String key = "key-" + UUID.randomUUID();
    List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      attempts.add(postAsync("c-idem", body(event, offer, 1), key));
    }
    List<String> ids = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> attempt : attempts) {
      HttpResponse<String> response = attempt.get();
      assertThat(response.statusCode()).isEqualTo(202);
      ids.add(JSON.readTree(response.body()).get("reservationId").asString());
    }
    assertThat(ids).containsOnly(ids.get(0));

    HttpResponse<String> otherBody = post("c-idem", body(event, offer, 3), key);
    assertThat(otherBody.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(otherBody.body()).at("/errors/0/field").asString())
        .isEqualTo("Idempotency-Key");

    // Keyed requests go through the outbox, which publishes in order: one behind them marks the
    // end.
    String marker = markerRequest("marker-" + key);
    List<ReservationRequested> published = requestsUntil(marker);
    assertThat(published)
        .filteredOn(request -> request.getCustomerId().equals("c-idem"))
        .singleElement()
        .satisfies(request -> assertThat(request.getReservationId()).isEqualTo(ids.get(0)));
  }

  @Test
  void bad_input_gets_a_problem_naming_the_field_and_publishes_nothing() throws Exception {
    String unknownEvent = "e-" + UUID.randomUUID();
    List<Object[]> cases =
        List.of(
            new Object[] {body(unknownEvent, offer, 1), 422, "event"},
            new Object[] {body(event, "no-such-offer", 1), 422, "offer"},
            new Object[] {body(event, offer, 0), 400, "quantity"},
            new Object[] {body(event, offer, -2), 400, "quantity"},
            new Object[] {body(event, offer, 5), 422, "quantity"},
            new Object[] {"{\"event\":\"" + event + "\",\"offer\":\"solo\"}", 400, "quantity"},
            new Object[] {"{\"offer\":\"solo\",\"quantity\":1}", 400, "event"},
            new Object[] {
              "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":\"two\"}",
              400,
              "quantity"
            },
            new Object[] {"{\"event\":42,\"offer\":\"solo\",\"quantity\":1}", 400, "event"},
            new Object[] {
              "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":1.5}", 400, "quantity"
            },
            new Object[] {
              "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":1,\"seats\":99}",
              400,
              "seats"
            },
            new Object[] {
              "{\"event\":\""
                  + event
                  + "\",\"offer\":\"solo\",\"quantity\":1,\"customer\":\"someone-else\"}",
              400,
              "customer"
            },
            // Strict JSON: each field once, one document, nothing after it, no coercion, no
            // number out of range, no control character or lone surrogate in any text.
            new Object[] {
              "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":1,\"quantity\":2}",
              400,
              null
            },
            new Object[] {body(event, offer, 1) + " garbage", 400, null},
            new Object[] {body(event, offer, 1) + body(event, offer, 1), 400, null},
            new Object[] {
              "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":\"1\"}", 400, "quantity"
            },
            new Object[] {
              "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":99999999999}",
              400,
              "quantity"
            },
            new Object[] {
              "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":1e400}", 400, "quantity"
            },
            new Object[] {
              "{\"event\":\"" + event + "\",\"offer\":\"so\\u0000lo\",\"quantity\":1}", 400, "offer"
            },
            new Object[] {
              "{\"event\":\""
                  + event
                  + "\",\"offer\":\"solo\",\"quantity\":1,"
                  + "\"customer\":\"\\ud800\"}",
              400,
              "customer"
            },
            new Object[] {"{\"event\":\"" + event + "\",", 400, null},
            new Object[] {"[1,2]", 400, null},
            new Object[] {"", 400, null});
    int n = 0;
    for (Object[] badCase : cases) {
      HttpResponse<String> response = post("bad-" + ++n, (String) badCase[0], null);
      assertThat(response.statusCode()).as(badCase[0].toString()).isEqualTo(badCase[1]);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      JsonNode problem = JSON.readTree(response.body());
      assertThat(problem.get("status").asInt()).isEqualTo(badCase[1]);
      // Guichet's own words: no parser message, class or package name reaches the client.
      assertThat(response.body()).doesNotContain("tools.jackson", "java.", "Exception", "Trailing");
      if (badCase[2] != null) {
        assertThat(problem.get("errors").findValuesAsString("field"))
            .as(badCase[0].toString())
            .contains((String) badCase[2]);
      }
    }
    HttpResponse<String> notJson =
        send(
            as(
                "bad-text",
                HttpRequest.newBuilder(uri("/reservations"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(body(event, offer, 1)))));
    assertThat(notJson.statusCode()).isEqualTo(415);
    assertThat(notJson.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    HttpResponse<String> badKey = post("bad-key", body(event, offer, 1), "key with spaces");
    assertThat(badKey.statusCode()).isEqualTo(400);

    String marker = markerRequest(null);
    assertThat(requestsUntil(marker))
        .extracting(ReservationRequested::getCustomerId)
        .noneMatch(customer -> customer.startsWith("bad-"));
  }

  /**
   * Issue 21 through the front door: buyers choose seats or ask for the best ones; two buyers
   * asking for the same seats at once, exactly one gets them; seats the map does not have, or that
   * the offer does not sell, are refused with a problem naming the seat, and nothing is published.
   */
  @Test
  void seats_are_chosen_or_the_best_given_one_buyer_gets_contested_seats_and_bad_seats_are_refused()
      throws Exception {
    String seated = "e-" + UUID.randomUUID();
    List<SpecificRecord> facts =
        new ArrayList<>(CatalogFixtures.onSale(seated, "seats", 1, 100, 4, 4));
    facts.add(facts.size() - 1, CatalogFixtures.seating(seated, "seats", 1, 10, 10));
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (SpecificRecord fact : facts) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), seated, fact)).get();
      }
    }
    // Booking knows the seat map once an unknown seat is refused as such.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                post("bad-seat-0", seatsBody(seated, "seats", 1, "S1/R99/1"), null)
                    .body()
                    .contains("no seat S1 R99-1 in the event's seat map"));

    // Two buyers, the same two seats, at once: one gets them, the other is told they are taken.
    String contested = seatsBody(seated, "seats", 2, "S1/R2/5", "S1/R2/6");
    CompletableFuture<HttpResponse<String>> ann = postAsync("ann", contested, null);
    CompletableFuture<HttpResponse<String>> bob = postAsync("bob", contested, null);
    String annId = JSON.readTree(ann.get().body()).get("reservationId").asString();
    String bobId = JSON.readTree(bob.get().body()).get("reservationId").asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !status("ann", annId).equals("REQUESTED")
                    && !status("bob", bobId).equals("REQUESTED"));
    JsonNode annView = JSON.readTree(get("ann", "/reservations/" + annId).body());
    JsonNode bobView = JSON.readTree(get("bob", "/reservations/" + bobId).body());
    JsonNode winner = annView.get("status").asString().equals("HELD") ? annView : bobView;
    JsonNode loser = winner == annView ? bobView : annView;
    assertThat(winner.get("status").asString()).isEqualTo("HELD");
    assertThat(winner.get("assignedSeats").toString())
        .isEqualTo(
            "[{\"section\":\"S1\",\"row\":\"R2\",\"seat\":\"5\"},"
                + "{\"section\":\"S1\",\"row\":\"R2\",\"seat\":\"6\"}]");
    assertThat(loser.get("status").asString()).isEqualTo("REJECTED");
    assertThat(loser.get("reason").asString()).isEqualTo("SEATS_TAKEN");
    assertThat(loser.get("detail").asString()).isEqualTo("taken already: S1 R2-5, S1 R2-6");
    assertThat(loser.get("assignedSeats")).isEmpty();

    // The best three: together in the front row, in its middle (the first of two equal blocks).
    HttpResponse<String> best = post("cy", body(seated, "seats", 3), null);
    String bestId = JSON.readTree(best.body()).get("reservationId").asString();
    await().atMost(Duration.ofSeconds(30)).until(() -> status("cy", bestId).equals("HELD"));
    assertThat(JSON.readTree(get("cy", "/reservations/" + bestId).body()).get("assignedSeats"))
        .extracting(seat -> seat.get("row").asString() + "-" + seat.get("seat").asString())
        .containsExactly("R1-4", "R1-5", "R1-6");

    List<Object[]> cases =
        List.of(
            new Object[] {
              seatsBody(seated, "seats", 1, "S1/R1/11"),
              422,
              "seats[0]",
              "no seat S1 R1-11 in the event's seat map"
            },
            new Object[] {
              seatsBody(seated, "seats", 2, "S1/R3/1", "S1/R3/1"),
              422,
              "seats[1]",
              "seat S1 R3-1 is named twice"
            },
            new Object[] {
              seatsBody(seated, "seats", 2, "S1/R3/1"),
              422,
              "seats",
              "names 1 seats for a quantity of 2: one seat per ticket"
            },
            new Object[] {
              seatsBody(event, offer, 1, "S1/R3/1"),
              422,
              "seats",
              "offer solo is not sold by seat: leave seats out"
            },
            new Object[] {
              "{\"event\":\""
                  + seated
                  + "\",\"offer\":\"seats\",\"quantity\":1,"
                  + "\"seats\":[{\"section\":\"S1\",\"seat\":\"1\"}]}",
              400,
              "seats[0].row",
              "is required"
            },
            new Object[] {
              "{\"event\":\"" + seated + "\",\"offer\":\"seats\",\"quantity\":1,\"seats\":[null]}",
              400,
              "seats[0]",
              "is required"
            },
            new Object[] {
              seatsBody(
                  seated,
                  "seats",
                  1,
                  java.util.stream.IntStream.range(0, 101)
                      .mapToObj(i -> "S1/R1/" + i)
                      .toArray(String[]::new)),
              400,
              "seats",
              "must name at most 100 seats"
            });
    int n = 0;
    for (Object[] badCase : cases) {
      HttpResponse<String> response = post("bad-seat-" + ++n, (String) badCase[0], null);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(badCase[1]);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      JsonNode error = JSON.readTree(response.body()).get("errors").get(0);
      assertThat(error.get("field").asString()).as(response.body()).isEqualTo(badCase[2]);
      assertThat(error.get("message").asString()).isEqualTo(badCase[3]);
    }
    String marker = markerRequest(null);
    assertThat(requestsUntil(marker))
        .extracting(ReservationRequested::getCustomerId)
        .noneMatch(customer -> customer.startsWith("bad-seat-"));
  }

  /** A request naming seats as "section/row/seat". */
  private static String seatsBody(String event, String offer, int quantity, String... seats) {
    StringBuilder body =
        new StringBuilder(
            String.format(
                "{\"event\":\"%s\",\"offer\":\"%s\",\"quantity\":%d,\"seats\":[",
                event, offer, quantity));
    for (int i = 0; i < seats.length; i++) {
      String[] parts = seats[i].split("/");
      body.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  "{\"section\":\"%s\",\"row\":\"%s\",\"seat\":\"%s\"}",
                  parts[0], parts[1], parts[2]));
    }
    return body.append("]}").toString();
  }

  @Test
  void idempotency_keys_older_than_their_retention_are_forgotten() {
    DatabaseClient database = booking.getBean(DatabaseClient.class);
    String customer = "c-" + UUID.randomUUID();
    for (String age : List.of("25 hours", "1 hour")) {
      database
          .sql(
              "INSERT INTO idempotency_keys (customer_id, idempotency_key, fingerprint,"
                  + " reservation_id, created_at) VALUES ($1, $2, 'f', 'r', now() - $3::interval)")
          .bind(0, customer)
          .bind(1, age)
          .bind(2, age)
          .then()
          .block();
    }

    booking
        .getBean(IdempotentRequests.class)
        .forgetBefore(Instant.now().minus(Duration.ofHours(24)))
        .block();

    List<String> left =
        database
            .sql("SELECT idempotency_key FROM idempotency_keys WHERE customer_id = $1")
            .bind(0, customer)
            .map(row -> row.get("idempotency_key", String.class))
            .all()
            .collectList()
            .block();
    assertThat(left).containsExactly("1 hour");
  }

  @Test
  void unknown_reservations_answer_404_problems() throws Exception {
    String unknown = UUID.randomUUID().toString();
    for (HttpResponse<String> response :
        List.of(
            get("c-unknown", "/reservations/" + unknown),
            delete("c-unknown", "/reservations/" + unknown))) {
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
    }
    // An id booking did not issue moments ago is not waited for (the follow timeout is 60 s here):
    // a random UUID (booking's are time-ordered), one issued an hour ago, one from the future, and
    // one booking never gives (not a UUID) are each answered not-found at once.
    for (String never :
        List.of(
            unknown,
            timeOrdered(Instant.now().minus(Duration.ofHours(1))),
            timeOrdered(Instant.now().plus(Duration.ofHours(1))),
            "r-never-a-booking-id")) {
      List<String> events = new CopyOnWriteArrayList<>();
      follow("c-unknown", never)
          .doOnNext(sse -> events.add(sse.event()))
          .blockLast(Duration.ofSeconds(10));
      assertThat(events).as(never).containsExactly("not-found");
    }

    // A control character in an id is refused (400) before it reaches the database.
    HttpResponse<String> control = get("c-unknown", "/reservations/r%00");
    assertThat(control.statusCode()).isEqualTo(400);
    assertThat(control.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  /** Publishes a good request and answers its reservation id, the end mark of this test's reads. */
  private String markerRequest(String idempotencyKey) throws Exception {
    HttpResponse<String> response = post("marker", body(event, offer, 1), idempotencyKey);
    assertThat(response.statusCode()).isEqualTo(202);
    return JSON.readTree(response.body()).get("reservationId").asString();
  }

  /** This test's event's requests on the requests topic, up to and with the marker. */
  private List<ReservationRequested> requestsUntil(String marker) {
    List<ReservationRequested> requests = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer =
        INFRA.eventConsumer("api-it-" + UUID.randomUUID())) {
      consumer.subscribe(List.of(Topics.RESERVATION_REQUESTS.name()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        record -> {
                          if (record.value() instanceof ReservationRequested request
                              && request.getEventId().equals(event)) {
                            requests.add(request);
                          }
                        });
                return requests.stream().anyMatch(r -> r.getReservationId().equals(marker));
              });
    }
    return requests;
  }

  private static String body(String event, String offer, int quantity) {
    return String.format(
        "{\"event\":\"%s\",\"offer\":\"%s\",\"quantity\":%d}", event, offer, quantity);
  }

  /** A customer's access token. */
  private static String tokenOf(String customer) {
    return TestTokens.get().token(customer, Role.CUSTOMER);
  }

  private static URI uri(String path) {
    return URI.create(base + path);
  }

  private static HttpRequest.Builder postRequest(String customer, String body, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/reservations"))
            .header("Authorization", TestTokens.bearer(tokenOf(customer)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return key == null ? request : request.header("Idempotency-Key", key);
  }

  private static HttpResponse<String> post(String customer, String body, String key)
      throws Exception {
    return send(postRequest(customer, body, key));
  }

  private static CompletableFuture<HttpResponse<String>> postAsync(
      String customer, String body, String key) {
    return HTTP.sendAsync(
        postRequest(customer, body, key).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String customer, String path) throws Exception {
    return send(as(customer, HttpRequest.newBuilder(uri(path)).GET()));
  }

  private static HttpResponse<String> delete(String customer, String path) throws Exception {
    return send(as(customer, HttpRequest.newBuilder(uri(path)).DELETE()));
  }

  private static HttpRequest.Builder as(String customer, HttpRequest.Builder request) {
    return request.header("Authorization", TestTokens.bearer(tokenOf(customer)));
  }

  /** A well-formed version 7 UUID issued at this time, as booking's ids are. */
  private static String timeOrdered(Instant issued) {
    UUID random = UUID.randomUUID();
    long high =
        (issued.toEpochMilli() << 16) | 0x7000L | (random.getMostSignificantBits() & 0xFFFL);
    return new UUID(high, random.getLeastSignificantBits()).toString();
  }

  /** A reservation's status stream, as this customer. */
  private static reactor.core.publisher.Flux<ServerSentEvent<Map<String, Object>>> follow(
      String customer, String id) {
    return WebClient.create(base)
        .get()
        .uri("/reservations/{id}/events", id)
        .header("Authorization", TestTokens.bearer(tokenOf(customer)))
        .retrieve()
        .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
        // Keep-alive comments are not events.
        .filter(sse -> sse.event() != null);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
