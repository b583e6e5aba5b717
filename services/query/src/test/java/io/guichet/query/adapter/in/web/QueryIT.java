package io.guichet.query.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.booking.adapter.in.kafka.BatchAllocator;
import io.guichet.booking.domain.EventStock;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.events.booking.HeldSeat;
import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.EventKind;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.Venue;
import io.guichet.events.gate.ScanOutcome;
import io.guichet.events.gate.ScanRejectionReason;
import io.guichet.events.gate.TicketScanned;
import io.guichet.events.payment.InvoiceIssued;
import io.guichet.events.payment.InvoiceKind;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentFailureReason;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.platform.access.Role;
import io.guichet.platform.ids.TimeOrderedIds;
import io.guichet.platform.money.Vat;
import io.guichet.query.QueryApplication;
import io.guichet.query.adapter.out.r2dbc.ReadModelProjection;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.CatalogFixtures;
import io.guichet.testsupport.PurchaseFixtures;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The query service over a real broker, PostgreSQL and HTTP: the facts are published on the topics
 * as the services publish them (and, for the burst, decided by the real allocator). The burst runs
 * first and the rebuild second, so that the rebuild replays it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final TestTokens TOKENS = TestTokens.get();
  private static final String ADMIN = TOKENS.token("admin-" + UUID.randomUUID(), Role.ADMIN);
  private static ConfigurableApplicationContext query;
  private static DatabaseClient database;
  private static String base;

  @BeforeAll
  static void start() {
    INFRA.postgres().createDatabase("query_it");
    List<String> access = TestTokens.accessArgs();
    query =
        QueryApplication.application()
            .run(
                access.get(0),
                access.get(1),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--guichet.query.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.query.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--guichet.query.consumer-group=query-it",
                "--guichet.query.follow-timeout=PT30S",
                "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl("query_it"),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password=");
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) query).getWebServer().getPort();
    database = query.getBean(DatabaseClient.class);
  }

  @AfterAll
  static void stop() {
    query.close();
  }

  // ---- the acceptance ------------------------------------------------------------------------

  @Test
  @Order(1)
  void availability_matches_the_allocators_state_after_a_burst_of_twenty_thousand_requests()
      throws Exception {
    String event = "burst-" + UUID.randomUUID();
    String offer = "solo";
    int seats = 1_000;
    int requests = 20_000;
    publishAll(
        Topics.CATALOG_EVENTS.name(), event, CatalogFixtures.onSale(event, offer, 1, seats, 4, 4));
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      for (int i = 0; i < requests; i++) {
        producer.send(
            new ProducerRecord<>(
                Topics.RESERVATION_REQUESTS.name(),
                event,
                CatalogFixtures.request(event, event + "-r" + i, offer, "c-" + (i % 5_000), 1)));
      }
      producer.flush();
    }

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (BatchAllocator allocator =
        BatchAllocator.start(
            new BatchAllocator.Settings(
                INFRA.kafkaBootstrapServers(),
                INFRA.schemaRegistryUrl(),
                "query-it-allocator",
                Files.createTempDirectory("allocator-"),
                Duration.ofHours(1),
                Duration.ofSeconds(1),
                1,
                Map.of("consumer.session.timeout.ms", "6000")),
            meters)) {
      // Every request projected with its outcome: the burst is over.
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> decided(event) == requests);
      JsonNode offerView = availableOffer(event, offer);
      EventStock stock = allocatorStock(allocator, event);
      assertThat(offerView.get("held").asInt() + offerView.get("sold").asInt())
          .isEqualTo(stock.offer(new OfferId(offer)).orElseThrow().seatsTaken())
          .isEqualTo(seats);
      assertThat(offerView.get("available").asInt())
          .isEqualTo(stock.offer(new OfferId(offer)).orElseThrow().seatsLeft())
          .isZero();
      assertThat(offerView.get("seatsOnSale").asInt()).isEqualTo(seats);

      // A hundred of the holds are paid: seats move from held to sold, in both.
      List<String> held =
          database
              .sql(
                  "SELECT reservation_id FROM read_model.reservations WHERE event_id = $1"
                      + " AND status = 'HELD' ORDER BY reservation_id LIMIT 100")
              .bind(0, event)
              .map(row -> row.get("reservation_id", String.class))
              .all()
              .collectList()
              .block();
      assertThat(held).hasSize(100);
      try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
        for (String reservation : held) {
          producer.send(
              new ProducerRecord<>(
                  Topics.PAYMENTS.name(),
                  reservation,
                  PurchaseFixtures.captured(event, reservation, "c", 4_500)));
        }
        producer.flush();
      }
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> availableOffer(event, offer).get("sold").asInt() == 100);
      JsonNode after = availableOffer(event, offer);
      assertThat(after.get("held").asInt()).isEqualTo(seats - 100);
      assertThat(after.get("held").asInt() + after.get("sold").asInt())
          .isEqualTo(
              allocatorStock(allocator, event)
                  .offer(new OfferId(offer))
                  .orElseThrow()
                  .seatsTaken());
    }
  }

  /** After the burst, so that it rebuilds twenty thousand reservations' facts. */
  @Test
  @Order(2)
  void rebuilding_from_the_topics_leaves_every_read_model_identical_and_keeps_serving()
      throws Exception {
    // Facts of every kind, a duplicate among them.
    Sale sale = new Sale();
    sale.schedule(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)));
    String paid = sale.heldAndConfirmed("ann", 2);
    sale.issueTickets(paid, 2);
    sale.scan(paid + "-t0", "north", ScanOutcome.ACCEPTED);
    sale.scan(paid + "-t0", "south", ScanOutcome.REJECTED);
    sale.heldAndConfirmed("bob", 1);
    sale.offlineDuplicate(paid + "-t1", "west", "device-1");
    TicketScanned duplicate = sale.scan("forged", "north", ScanOutcome.REJECTED);
    publish(Topics.SCANS.name(), "forged", duplicate);
    awaitProjected(sale);

    Map<String, List<String>> before = snapshot();
    String reservationBefore = get("/views/reservations/" + paid, sale.customerToken("ann")).body();

    HttpResponse<String> started = post("/views/rebuilds", ADMIN);
    assertThat(started.statusCode()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    // While it runs, the serving models answer as before.
    assertThat(get("/views/reservations/" + paid, sale.customerToken("ann")).body())
        .isEqualTo(reservationBefore);
    // One rebuild at a time.
    HttpResponse<String> second = post("/views/rebuilds", ADMIN);
    assertThat(second.statusCode()).isIn(202, 409);
    List<String> rebuilds = new ArrayList<>(List.of(location));
    if (second.statusCode() == 202) {
      // The first had already finished.
      rebuilds.add(second.headers().firstValue("Location").orElseThrow());
    } else {
      assertProblem(second, 409, "a second rebuild");
    }
    for (String rebuild : rebuilds) {
      await()
          .atMost(Duration.ofMinutes(5))
          .until(
              () -> json(get(rebuild, ADMIN)).get("status").asString(), s -> !s.equals("RUNNING"));
      assertThat(json(get(rebuild, ADMIN)).get("status").asString()).isEqualTo("COMPLETED");
    }

    assertThat(snapshot()).isEqualTo(before);
    assertThat(
            json(get("/views/events/" + sale.event + "/statistics", sale.organizerToken()))
                .get("gates"))
        .hasToString(
            "[{\"gate\":\"north\",\"accepted\":1,\"rejected\":1,\"duplicatesOffline\":0},"
                + "{\"gate\":\"south\",\"accepted\":0,\"rejected\":1,\"duplicatesOffline\":0},"
                + "{\"gate\":\"west\",\"accepted\":0,\"rejected\":1,\"duplicatesOffline\":1}]");

    // The live projection goes on into the rebuilt models.
    String later = sale.heldAndConfirmed("cyd", 1);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                get("/views/reservations/" + later, sale.customerToken("cyd")).statusCode() == 200);
    assertThat(
            json(get("/views/reservations/" + later, sale.customerToken("cyd")))
                .get("status")
                .asString())
        .isEqualTo("CONFIRMED");
  }

  @Test
  void a_follower_sees_requested_then_held_then_confirmed() throws Exception {
    Sale sale = new Sale();
    sale.schedule(Instant.now().plus(Duration.ofDays(10)), Instant.now().plus(Duration.ofDays(11)));
    // Followed before it is projected: booking's ids say when they were issued, so it is waited
    // for.
    String reservation = TimeOrderedIds.next();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    follow("/views/reservations/" + reservation + "/events", sale.customerToken("dee"), lines);

    publish(
        Topics.RESERVATION_REQUESTS.name(),
        sale.event,
        CatalogFixtures.request(sale.event, reservation, sale.offer, "dee", 2));
    await().atMost(Duration.ofSeconds(30)).until(() -> statuses(lines).contains("REQUESTED"));
    publish(Topics.RESERVATIONS.name(), reservation, sale.held(reservation, "dee", 2));
    await().atMost(Duration.ofSeconds(30)).until(() -> statuses(lines).contains("HELD"));
    publish(Topics.RESERVATIONS.name(), reservation, sale.confirmed(reservation, "dee", 2));
    await().atMost(Duration.ofSeconds(30)).until(() -> statuses(lines).contains("CONFIRMED"));
    assertThat(statuses(lines)).containsExactly("REQUESTED", "HELD", "CONFIRMED");

    // A late follower sees the same steps, then the stream ends.
    List<String> late = Collections.synchronizedList(new ArrayList<>());
    HttpResponse<Stream<String>> ended =
        follow("/views/reservations/" + reservation + "/events", sale.customerToken("dee"), late);
    await().atMost(Duration.ofSeconds(30)).until(() -> statuses(late).size() == 3);
    assertThat(statuses(late)).containsExactly("REQUESTED", "HELD", "CONFIRMED");
    assertThat(ended.statusCode()).isEqualTo(200);

    // Someone else's reservation is a stream that says not-found.
    List<String> stranger = Collections.synchronizedList(new ArrayList<>());
    follow("/views/reservations/" + reservation + "/events", sale.customerToken("eve"), stranger);
    await().atMost(Duration.ofSeconds(30)).until(() -> stranger.contains("event:not-found"));
    assertThat(statuses(stranger)).isEmpty();

    // An id booking did not issue moments ago is answered at once, not after the follow timeout
    // (30 s here): a random UUID, and a name that is no UUID at all.
    for (String unknown : List.of(UUID.randomUUID().toString(), sale.event + "-never")) {
      List<String> nobody = Collections.synchronizedList(new ArrayList<>());
      follow("/views/reservations/" + unknown + "/events", sale.customerToken("dee"), nobody);
      await().atMost(Duration.ofSeconds(10)).until(() -> nobody.contains("event:not-found"));
      assertThat(statuses(nobody)).isEmpty();
    }
  }

  @Test
  void availability_followers_see_each_change() throws Exception {
    Sale sale = new Sale();
    sale.schedule(Instant.now().plus(Duration.ofDays(10)), Instant.now().plus(Duration.ofDays(11)));
    awaitProjected(sale);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    follow(
        "/views/events/" + sale.event + "/availability/events", sale.customerToken("fay"), lines);
    await().atMost(Duration.ofSeconds(30)).until(() -> heldSeen(lines).contains(0));

    sale.heldOnly("fay", 3);
    await().atMost(Duration.ofSeconds(30)).until(() -> heldSeen(lines).contains(3));
    sale.heldOnly("gus", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> heldSeen(lines).contains(4));
  }

  /**
   * Issue 21's seat map, live: the seats held or sold, then only the seats that change (held, sold,
   * free again), never the whole map again; a fact delivered twice moves nothing twice.
   */
  @Test
  void seat_map_followers_see_only_the_seats_that_change() throws Exception {
    Sale sale = new Sale();
    sale.schedule(Instant.now().plus(Duration.ofDays(10)), Instant.now().plus(Duration.ofDays(11)));
    awaitProjected(sale);
    String r1 = sale.event + "-r1";
    String r2 = sale.event + "-r2";
    sale.send(Topics.RESERVATIONS.name(), r1, seated(sale.held(r1, "ann", 2), "1", "2"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> seatsOf(json(get("/views/events/" + sale.event + "/seats", null))).size() == 2);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    follow("/views/events/" + sale.event + "/seats/events", sale.customerToken("bob"), lines);
    await().atMost(Duration.ofSeconds(30)).until(() -> !data(lines, "seats").isEmpty());
    assertThat(seatsOf(data(lines, "seats").get(0))).containsExactly("R1-1 HELD", "R1-2 HELD");

    SeatsHeld second = seated(sale.held(r2, "bob", 1), "3");
    sale.send(Topics.RESERVATIONS.name(), r2, second);
    await().atMost(Duration.ofSeconds(30)).until(() -> data(lines, "changes").size() == 1);
    assertThat(seatsOf(data(lines, "changes").get(0))).containsExactly("R1-3 HELD");

    sale.send(Topics.RESERVATIONS.name(), r1, sale.confirmed(r1, "ann", 2));
    sale.send(
        Topics.RESERVATIONS.name(),
        r2,
        HoldExpired.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setReservationId(r2)
            .setEventId(sale.event)
            .setOfferId(sale.offer)
            .setCustomerId("bob")
            .setSeats(1)
            .build());
    // The hold delivered again moves nothing: the seat stays free.
    sale.send(Topics.RESERVATIONS.name(), r2, second);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                data(lines, "changes").stream()
                    .flatMap(change -> seatsOf(change).stream())
                    .toList()
                    .containsAll(List.of("R1-1 SOLD", "R1-2 SOLD", "R1-3 FREE")));
    assertThat(data(lines, "changes").stream().flatMap(change -> seatsOf(change).stream()).toList())
        .containsExactlyInAnyOrder("R1-3 HELD", "R1-1 SOLD", "R1-2 SOLD", "R1-3 FREE");
    JsonNode now = json(get("/views/events/" + sale.event + "/seats", null));
    assertThat(seatsOf(now)).containsExactlyInAnyOrder("R1-1 SOLD", "R1-2 SOLD");
    assertThat(now.get("cursor").asLong())
        .isEqualTo(
            data(lines, "changes").get(data(lines, "changes").size() - 1).get("cursor").asLong());
    assertThat(get("/views/events/e-" + UUID.randomUUID() + "/seats", null).statusCode())
        .isEqualTo(404);
    // The buyer's own view of the reservation names its seats.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                json(get("/views/reservations/" + r1, sale.customerToken("ann")))
                    .path("assignedSeats")
                    .toString()
                    .equals(
                        "[{\"section\":\"S1\",\"row\":\"R1\",\"seat\":\"1\"},"
                            + "{\"section\":\"S1\",\"row\":\"R1\",\"seat\":\"2\"}]"));
  }

  /** A hold of seats of row R1 of section S1. */
  private static SeatsHeld seated(SeatsHeld hold, String... seats) {
    return SeatsHeld.newBuilder(hold)
        .setAssignedSeats(
            java.util.Arrays.stream(seats).map(seat -> new HeldSeat("S1", "R1", seat)).toList())
        .build();
  }

  /** A seat view's seats as "row-seat STATUS". */
  private static List<String> seatsOf(JsonNode view) {
    List<String> seats = new ArrayList<>();
    view.get("seats")
        .forEach(
            seat ->
                seats.add(
                    seat.get("row").asString()
                        + "-"
                        + seat.get("seat").asString()
                        + " "
                        + seat.get("status").asString()));
    return seats;
  }

  @Test
  void buyers_page_through_their_own_reservations_and_tickets() throws Exception {
    Sale sale = new Sale();
    sale.schedule(Instant.now().plus(Duration.ofDays(10)), Instant.now().plus(Duration.ofDays(11)));
    String customer = "hal-" + UUID.randomUUID();
    List<String> reservations = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      reservations.add(sale.heldAndConfirmed(customer, 1));
    }
    sale.issueTickets(reservations.get(0), 1);
    String failed = sale.heldOnly(customer, 1);
    publish(
        Topics.PAYMENTS.name(),
        failed,
        PaymentFailed.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setPaymentId("p-" + failed)
            .setReservationId(failed)
            .setEventId(sale.event)
            .setCustomerId(customer)
            .setAmountMinor(4_500)
            .setCurrency("EUR")
            .setReason(PaymentFailureReason.DECLINED)
            .setDetail(null)
            .build());
    awaitProjected(sale);
    String token = sale.customerToken(customer);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> json(get("/views/reservations/" + failed, token)).path("payment").asString(),
            "FAILED"::equals);

    JsonNode first = json(get("/views/reservations?size=4", token));
    assertThat(first.get("total").asInt()).isEqualTo(6);
    assertThat(first.get("items")).hasSize(4);
    JsonNode second = json(get("/views/reservations?size=4&page=1", token));
    assertThat(second.get("items")).hasSize(2);
    JsonNode confirmed =
        json(get("/views/reservations?status=confirmed&event=" + sale.event, token));
    assertThat(confirmed.get("total").asInt()).isEqualTo(5);
    assertThat(json(get("/views/reservations/" + failed, token)).get("reason").asString())
        .isEqualTo("DECLINED");

    JsonNode tickets = json(get("/views/tickets?status=ISSUED", token));
    assertThat(tickets.get("total").asInt()).isEqualTo(1);
    assertThat(tickets.get("items").get(0).get("reservationId").asString())
        .isEqualTo(reservations.get(0));

    // Another buyer sees none of them; an admin names the customer.
    assertThat(json(get("/views/reservations", sale.customerToken("other"))).get("total").asInt())
        .isZero();
    assertThat(get("/views/reservations/" + failed, sale.customerToken("other")).statusCode())
        .isEqualTo(404);
    assertThat(json(get("/views/reservations?customer=" + customer, ADMIN)).get("total").asInt())
        .isEqualTo(6);
  }

  @Test
  void organizers_see_sales_per_offer_and_hour_scans_per_gate_and_no_shows_after_the_event()
      throws Exception {
    Sale past = Sale.ended();
    String two = past.heldAndConfirmed("ida", 2);
    past.issueTickets(two, 2);
    past.scan(two + "-t0", "east", ScanOutcome.ACCEPTED);
    past.scan(two + "-t0", "east", ScanOutcome.REJECTED);
    // A scanner offline at the west gate let the same ticket in again: a double entry.
    TicketScanned doubleEntry = past.offlineDuplicate(two + "-t0", "west", "device-7");
    awaitProjected(past);

    JsonNode statistics =
        json(get("/views/events/" + past.event + "/statistics", past.organizerToken()));
    JsonNode offer = statistics.get("offers").get(0);
    assertThat(offer.get("ticketsSold").asInt()).isEqualTo(2);
    assertThat(offer.get("revenueMinor").asLong()).isEqualTo(9_000);
    assertThat(statistics.get("ticketsIssued").asInt()).isEqualTo(2);
    assertThat(statistics.get("ticketsScanned").asInt()).isEqualTo(1);
    assertThat(statistics.get("noShows").asInt()).isEqualTo(1);
    assertThat(statistics.get("gates").get(0).get("accepted").asInt()).isEqualTo(1);
    assertThat(statistics.get("gates").get(0).get("rejected").asInt()).isEqualTo(1);
    assertThat(statistics.get("gates").get(1).get("gate").asString()).isEqualTo("west");
    assertThat(statistics.get("gates").get(1).get("duplicatesOffline").asInt()).isEqualTo(1);
    assertThat(statistics.get("gates").get(0).get("duplicatesOffline").asInt()).isZero();
    assertThat(statistics.get("duplicatesOffline").asInt()).isEqualTo(1);
    JsonNode duplicates =
        json(get("/views/events/" + past.event + "/offline-duplicates", past.organizerToken()));
    assertThat(duplicates.get("total").asInt()).isEqualTo(1);
    JsonNode duplicate = duplicates.get("items").get(0);
    assertThat(duplicate.get("scanId").asString()).isEqualTo(doubleEntry.getScanId());
    assertThat(duplicate.get("ticketId").asString()).isEqualTo(two + "-t0");
    assertThat(duplicate.get("device").asString()).isEqualTo("device-7");
    assertThat(duplicate.get("firstGate").asString()).isEqualTo("east");
    assertThat(
            get("/views/events/" + past.event + "/offline-duplicates", past.customerToken("ida"))
                .statusCode())
        .isEqualTo(403);
    JsonNode hourly =
        json(get("/views/events/" + past.event + "/statistics/hourly", past.organizerToken()));
    assertThat(hourly.get("items").get(0).get("tickets").asInt()).isEqualTo(2);
    assertThat(hourly.get("items").get(0).get("hour").asString())
        .isEqualTo(Instant.now().truncatedTo(ChronoUnit.HOURS).toString());

    Sale coming = new Sale();
    coming.schedule(Instant.now().plus(Duration.ofDays(3)), Instant.now().plus(Duration.ofDays(4)));
    awaitProjected(coming);
    assertThat(
            json(get("/views/events/" + coming.event + "/statistics", coming.organizerToken()))
                .get("noShows")
                .isNull())
        .isTrue();

    // Another organizer's event is unknown to them; buyers may not ask.
    assertThat(
            get("/views/events/" + past.event + "/statistics", coming.organizerToken())
                .statusCode())
        .isEqualTo(404);
    assertThat(
            get("/views/events/" + past.event + "/statistics", past.customerToken("ida"))
                .statusCode())
        .isEqualTo(403);
    assertThat(get("/views/events/" + past.event + "/statistics", ADMIN).statusCode())
        .isEqualTo(200);
  }

  @Test
  void hidden_offers_stay_out_of_the_public_availability_and_each_codes_uses_are_counted()
      throws Exception {
    Sale sale = new Sale();
    sale.schedule(Instant.now().plus(Duration.ofDays(3)), Instant.now().plus(Duration.ofDays(4)));
    sale.send(
        Topics.CATALOG_EVENTS.name(),
        sale.event,
        OfferPublished.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setEventId(sale.event)
            .setOfferId("backstage")
            .setName("Backstage")
            .setCategory("floor")
            .setPriceMinor(9_000)
            .setCurrency("EUR")
            .setSeatsPerTicket(1)
            .setSeatsOnSale(10)
            .setMaxTicketsPerOrder(2)
            .setMaxTicketsPerCustomer(2)
            .setHidden(true)
            .build());
    String heldWithCode = heldWith(sale, "ida", 2, "code-1");
    String soldWithCode = heldWith(sale, "jon", 1, "code-1");
    sale.send(Topics.RESERVATIONS.name(), soldWithCode, sale.confirmed(soldWithCode, "jon", 1));
    heldWith(sale, "kim", 1, "code-2");
    sale.heldAndConfirmed("lea", 1);
    awaitProjected(sale);

    JsonNode availability =
        json(get("/views/events/" + sale.event + "/availability", sale.customerToken("ida")));
    assertThat(availability.get("offers").findValuesAsString("offerId"))
        .containsExactly(sale.offer);
    JsonNode statistics =
        json(get("/views/events/" + sale.event + "/statistics", sale.organizerToken()));
    assertThat(statistics.get("offers").findValuesAsString("offerId"))
        .containsExactlyInAnyOrder(sale.offer, "backstage");
    assertThat(statistics.get("codes")).hasSize(2);
    assertThat(statistics.at("/codes/0/codeId").asString()).isEqualTo("code-1");
    assertThat(statistics.at("/codes/0/ticketsHeld").asLong()).isEqualTo(2);
    assertThat(statistics.at("/codes/0/ticketsSold").asLong()).isEqualTo(1);
    assertThat(statistics.at("/codes/1/ticketsHeld").asLong()).isEqualTo(1);
    assertThat(statistics.at("/codes/1/ticketsSold").asLong()).isZero();
    JsonNode reservation =
        json(get("/views/reservations/" + heldWithCode, sale.customerToken("ida")));
    assertThat(reservation.get("accessCodeId").asString()).isEqualTo("code-1");
  }

  @Test
  void buyers_see_their_place_on_a_waiting_list_and_the_seats_offered_and_organizers_the_demand()
      throws Exception {
    Sale sale = new Sale();
    sale.schedule(Instant.now().plus(Duration.ofDays(3)), Instant.now().plus(Duration.ofDays(4)));
    String first = sale.event + "-w1";
    String second = sale.event + "-w2";
    String third = sale.event + "-w3";
    sale.send(Topics.RESERVATIONS.name(), first, listed(sale, first, "ida", 1, "WAITING", null));
    sale.send(Topics.RESERVATIONS.name(), second, listed(sale, second, "jon", 2, "WAITING", null));
    sale.send(Topics.RESERVATIONS.name(), third, listed(sale, third, "kim", 3, "WAITING", null));
    sale.send(
        Topics.RESERVATIONS.name(), first, listed(sale, first, "ida", 1, "OFFERED", first + "-o"));
    // Delivered again after the offer: the entry does not go back on the list.
    sale.send(Topics.RESERVATIONS.name(), first, listed(sale, first, "ida", 1, "WAITING", null));
    // The availability projection has nothing to do with list facts: only the reservations one.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                sale.sent.stream()
                    .filter(sent -> sent.topic().equals(Topics.RESERVATIONS.name()))
                    .allMatch(sent -> passed("query-it", sent.at())));

    JsonNode ida = json(get("/views/waiting-lists", sale.customerToken("ida")));
    assertThat(ida.get("total").asInt()).isEqualTo(1);
    assertThat(ida.at("/items/0/status").asString()).isEqualTo("OFFERED");
    assertThat(ida.at("/items/0/reservationId").asString()).isEqualTo(first + "-o");
    assertThat(ida.at("/items/0/place").isNull()).isTrue();
    JsonNode kim = json(get("/views/waiting-lists/" + third, sale.customerToken("kim")));
    assertThat(kim.get("status").asString()).isEqualTo("WAITING");
    assertThat(kim.get("place").asInt()).isEqualTo(2);
    assertThat(get("/views/waiting-lists/" + third, sale.customerToken("ida")).statusCode())
        .isEqualTo(404);
    JsonNode statistics =
        json(get("/views/events/" + sale.event + "/statistics", sale.organizerToken()));
    JsonNode list = statistics.at("/waitingLists/0");
    assertThat(list.get("offerId").asString()).isEqualTo(sale.offer);
    assertThat(list.get("waiting").asInt()).isEqualTo(2);
    assertThat(list.get("ticketsWanted").asInt()).isEqualTo(2);
    assertThat(list.get("offered").asInt()).isEqualTo(1);
  }

  private static io.guichet.events.booking.WaitingListUpdated listed(
      Sale sale, String entry, String customer, long sequence, String status, String reservation) {
    return io.guichet.events.booking.WaitingListUpdated.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEntryId(entry)
        .setEventId(sale.event)
        .setOfferId(sale.offer)
        .setCustomerId(customer)
        .setQuantity(1)
        .setStatus(io.guichet.events.booking.WaitingListStatus.valueOf(status))
        .setSequence(sequence)
        .setReservationId(reservation)
        .setOfferExpiresAt(reservation == null ? null : Instant.now().plusSeconds(3_600))
        .setDetail(null)
        .build();
  }

  /** A reservation of the sale's offer held with an access code. */
  private static String heldWith(Sale sale, String customer, int quantity, String code)
      throws Exception {
    String reservation = sale.event + "-" + (sale.reservations++);
    sale.customers.put(reservation, customer);
    sale.send(
        Topics.RESERVATION_REQUESTS.name(),
        sale.event,
        CatalogFixtures.request(sale.event, reservation, sale.offer, customer, quantity));
    SeatsHeld held = sale.held(reservation, customer, quantity);
    held.setAccessCodeId(code);
    sale.send(Topics.RESERVATIONS.name(), reservation, held);
    return reservation;
  }

  @Test
  void facts_delivered_twice_or_published_again_under_new_ids_are_projected_once()
      throws Exception {
    Sale sale = Sale.ended();
    String paid = sale.heldAndConfirmed("joy", 2);
    sale.issueTickets(paid, 2);
    // Its invoice (90.00 at 20 %), and a credit note for half of it.
    sale.send(Topics.PAYMENTS.name(), paid, invoice(sale, paid, InvoiceKind.INVOICE, 9_000));
    sale.send(Topics.PAYMENTS.name(), paid, invoice(sale, paid, InvoiceKind.CREDIT_NOTE, 4_500));
    awaitProjected(sale);
    String token = sale.customerToken("joy");
    JsonNode before = json(get("/views/reservations/" + paid, token));

    // Every fact again, then the outcomes once more under new ids (a reservation is held and
    // confirmed once, whatever publishes it again).
    sale.sendAllAgain();
    sale.send(Topics.RESERVATIONS.name(), paid, sale.held(paid, "joy", 2));
    sale.send(Topics.RESERVATIONS.name(), paid, sale.confirmed(paid, "joy", 2));
    awaitProjected(sale);

    JsonNode after = json(get("/views/reservations/" + paid, token));
    assertThat(after.get("status").asString()).isEqualTo("CONFIRMED");
    assertThat(after.get("version").asInt()).isEqualTo(before.get("version").asInt());
    assertThat(after.get("updatedAt").asString()).isEqualTo(before.get("updatedAt").asString());
    JsonNode statistics =
        json(get("/views/events/" + sale.event + "/statistics", sale.organizerToken()));
    assertThat(statistics.get("offers").get(0).get("ticketsSold").asInt()).isEqualTo(2);
    assertThat(statistics.get("offers").get(0).get("revenueMinor").asLong()).isEqualTo(9_000);
    // Net of tax and of the credit note, counted once although the facts came twice.
    assertThat(statistics.get("offers").get(0).get("netOfTaxMinor").asLong()).isEqualTo(3_750);
    assertThat(statistics.get("offers").get(0).get("taxMinor").asLong()).isEqualTo(750);
    assertThat(statistics.get("ticketsIssued").asInt()).isEqualTo(2);
    JsonNode hourly =
        json(get("/views/events/" + sale.event + "/statistics/hourly", sale.organizerToken()));
    assertThat(hourly.get("items").get(0).get("tickets").asInt()).isEqualTo(2);
    assertThat(
            database
                .sql(
                    "SELECT count(*) AS n FROM read_model.reservation_steps"
                        + " WHERE reservation_id = $1")
                .bind(0, paid)
                .map(row -> row.get("n", Long.class))
                .one()
                .block())
        .isEqualTo(3);
  }

  /** An invoice or credit note of payment's, at 20 %. */
  private static InvoiceIssued invoice(
      Sale sale, String reservation, InvoiceKind kind, long gross) {
    long tax = Vat.included(gross, 2_000);
    return InvoiceIssued.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setInvoiceId("inv-" + UUID.randomUUID())
        .setKind(kind)
        .setOrganizerId(sale.organizer)
        .setSequence(kind.ordinal() + 1)
        .setNumber(kind.name())
        .setReservationId(reservation)
        .setEventId(sale.event)
        .setOfferId(sale.offer)
        .setCustomerId("joy")
        .setNetMinor(gross - tax)
        .setTaxMinor(tax)
        .setGrossMinor(gross)
        .setCurrency("EUR")
        .setVatRateBasisPoints(2_000)
        .build();
  }

  @Test
  void bad_input_gets_a_problem_and_changes_nothing() throws Exception {
    Sale sale = new Sale();
    sale.schedule(Instant.now().plus(Duration.ofDays(3)), Instant.now().plus(Duration.ofDays(4)));
    String reservation = sale.heldAndConfirmed("jo", 1);
    awaitProjected(sale);
    String buyer = sale.customerToken("jo");
    String organizer = sale.organizerToken();

    Map<String, Integer> expected = new TreeMap<>();
    expected.put("/views/reservations?page=-1", 400);
    expected.put("/views/reservations?page=abc", 400);
    expected.put("/views/reservations?size=0", 400);
    expected.put("/views/reservations?size=101", 400);
    expected.put("/views/reservations?page=5", 400);
    expected.put("/views/reservations?status=PAID", 400);
    expected.put("/views/reservations?event=not%20an%20id", 400);
    expected.put("/views/reservations?customer=someone-else", 403);
    expected.put("/views/reservations/nope", 404);
    expected.put("/views/tickets?status=LOST", 400);
    expected.put("/views/tickets?page=2", 400);
    expected.put("/views/events/nope/availability", 404);
    expected.put("/views/events/nope/availability/events", 404);
    expected.put("/views/rebuilds/nope", 403);
    for (Map.Entry<String, Integer> call : expected.entrySet()) {
      assertProblem(get(call.getKey(), buyer), call.getValue(), call.getKey());
    }
    assertProblem(get("/views/events/nope/statistics", organizer), 404, "unknown event");
    assertProblem(
        get("/views/events/" + sale.event + "/statistics/hourly?page=9", organizer), 400, "page");
    assertProblem(
        get("/views/events/" + sale.event + "/statistics/hourly?offer=a%20b", organizer),
        400,
        "offer");
    assertProblem(get("/views/rebuilds/nope", ADMIN), 404, "unknown rebuild");
    assertProblem(post("/views/rebuilds", buyer), 403, "buyer rebuilding");
    assertProblem(get("/views/reservations", null), 401, "no token");

    // Nothing changed: the reservation is as it was, and no rebuild was recorded.
    assertThat(json(get("/views/reservations/" + reservation, buyer)).get("status").asString())
        .isEqualTo("CONFIRMED");
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Reservations of the event projected with an outcome (held or rejected). */
  private static long decided(String event) {
    return database
        .sql(
            "SELECT count(*) AS n FROM read_model.reservations WHERE event_id = $1"
                + " AND status IN ('HELD', 'REJECTED') AND quantity IS NOT NULL")
        .bind(0, event)
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  private static EventStock allocatorStock(BatchAllocator allocator, String event) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> allocator.stock(event).orElse(null), stock -> stock != null);
  }

  private static JsonNode availableOffer(String event, String offer) throws Exception {
    for (JsonNode each :
        json(get("/views/events/" + event + "/availability", ADMIN)).get("offers")) {
      if (each.get("offerId").asString().equals(offer)) {
        return each;
      }
    }
    throw new AssertionError("no offer " + offer + " in the availability of " + event);
  }

  /** Every read model table, row by row, in a stable order. */
  private static Map<String, List<String>> snapshot() {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String table :
        List.of(
            "events",
            "offers",
            "seat_allocations",
            "availability_facts",
            "offer_sales",
            "reservations",
            "reservation_steps",
            "tickets",
            "sales_by_hour",
            "scans_by_gate",
            "offline_duplicates",
            "projected_events")) {
      tables.put(
          table,
          database
              .sql("SELECT t::text AS row FROM read_model." + table + " t ORDER BY 1")
              .map(row -> row.get("row", String.class))
              .all()
              .collectList()
              .block());
    }
    return tables;
  }

  /**
   * Waits until the query service has projected the sale's last fact, in each projection it
   * concerns: availability (catalog facts, seat moves) and reservations (everything else, and seat
   * moves too).
   */
  private static void awaitProjected(Sale sale) {
    String topic = sale.lastTopic;
    boolean availability =
        topic.equals(Topics.CATALOG_EVENTS.name()) || topic.equals(Topics.RESERVATIONS.name());
    boolean reservations = !topic.equals(Topics.CATALOG_EVENTS.name());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                (!availability || projected("availability_facts", sale.lastEventId()))
                    && (!reservations
                        || sale.sent.stream()
                            .filter(sent -> ReadModelProjection.TOPICS.contains(sent.topic()))
                            .allMatch(sent -> passed("query-it", sent.at()))));
  }

  /** Whether the consumer's stored position in the record's partition is past it. */
  private static boolean passed(String consumer, RecordMetadata record) {
    return database
            .sql(
                "SELECT count(*) AS n FROM consumed_offsets WHERE consumer = $1 AND topic = $2"
                    + " AND partition_no = $3 AND next_offset > $4")
            .bind(0, consumer)
            .bind(1, record.topic())
            .bind(2, record.partition())
            .bind(3, record.offset())
            .map(row -> row.get("n", Long.class))
            .one()
            .block()
        == 1;
  }

  private static boolean projected(String table, String eventId) {
    return database
            .sql("SELECT count(*) AS n FROM read_model." + table + " WHERE event_id = $1")
            .bind(0, eventId)
            .map(row -> row.get("n", Long.class))
            .one()
            .block()
        == 1;
  }

  private static void assertProblem(HttpResponse<String> response, int status, String what)
      throws Exception {
    assertThat(response.statusCode()).as(what).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .as(what)
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(json(response).get("status").asInt()).as(what).isEqualTo(status);
  }

  /** The data of each event of this name in the stream's lines so far. */
  private static List<JsonNode> data(List<String> lines, String event) {
    List<JsonNode> data = new ArrayList<>();
    synchronized (lines) {
      String current = "message";
      for (String line : lines) {
        if (line.isEmpty()) {
          current = "message";
        } else if (line.startsWith("event:")) {
          current = line.substring(6);
        } else if (line.startsWith("data:") && current.equals(event)) {
          try {
            data.add(JSON.readTree(line.substring(5)));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    return data;
  }

  private static List<String> statuses(List<String> lines) {
    return data(lines, "status").stream().map(node -> node.get("status").asString()).toList();
  }

  private static List<Integer> heldSeen(List<String> lines) {
    return data(lines, "availability").stream()
        .map(node -> node.at("/offers/0/held").asInt())
        .toList();
  }

  /** Opens an event stream, whose lines are added to {@code lines} as they come. */
  private static HttpResponse<Stream<String>> follow(String path, String token, List<String> lines)
      throws Exception {
    HttpResponse<Stream<String>> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", TestTokens.bearer(token))
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    Thread reader = new Thread(() -> response.body().forEach(lines::add), "sse-" + path);
    reader.setDaemon(true);
    reader.start();
    return response;
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path)).GET();
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", TestTokens.bearer(token))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static RecordMetadata publish(String topic, String key, SpecificRecord event)
      throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = INFRA.eventProducer()) {
      return producer.send(new ProducerRecord<>(topic, key, event)).get();
    }
  }

  private static void publishAll(String topic, String key, List<SpecificRecord> events)
      throws Exception {
    for (SpecificRecord event : events) {
      publish(topic, key, event);
    }
  }

  /** An event of its own organizer, with one offer, and the facts of its sale. */
  private static final class Sale {
    final String event = "e-" + UUID.randomUUID();
    final String organizer = "org-" + UUID.randomUUID();
    final String offer = "floor";
    private String lastEventId;
    private String lastTopic;

    /** A fact sent, its key and where it was written. */
    record Sent(String topic, String key, SpecificRecord fact, RecordMetadata at) {}

    final List<Sent> sent = new ArrayList<>();
    private int reservations;
    private final Map<String, String> customers = new java.util.HashMap<>();

    String organizerToken() {
      return TOKENS.token(organizer, Role.ORGANIZER);
    }

    String customerToken(String customer) {
      return TOKENS.token(customer, Role.CUSTOMER);
    }

    String lastEventId() {
      return lastEventId;
    }

    private void send(String topic, String key, SpecificRecord fact) throws Exception {
      sent.add(new Sent(topic, key, fact, publish(topic, key, fact)));
      lastEventId = String.valueOf(fact.get(fact.getSchema().getField("id").pos()));
      lastTopic = topic;
    }

    /** An event that ended yesterday, on sale before. */
    static Sale ended() throws Exception {
      Sale sale = new Sale();
      sale.schedule(
          Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(2)));
      return sale;
    }

    /** Every fact sent so far, sent again as they were (as an outbox relay may deliver them). */
    void sendAllAgain() throws Exception {
      for (Sent each : List.copyOf(sent)) {
        send(each.topic(), each.key(), each.fact());
      }
    }

    void schedule(Instant startsAt, Instant endsAt) throws Exception {
      send(
          Topics.CATALOG_EVENTS.name(),
          event,
          EventScheduled.newBuilder()
              .setId(UUID.randomUUID().toString())
              .setOccurredAt(Instant.now())
              .setEventId(event)
              .setOrganizerId(organizer)
              .setTitle("Query night")
              .setKind(EventKind.CONCERT)
              .setVenue(new Venue("Olympia", "28 bd des Capucines", "Paris", "FR", 2_000))
              .setStartsAt(startsAt)
              .setEndsAt(endsAt)
              .setTimeZone("Europe/Paris")
              .build());
      send(
          Topics.CATALOG_EVENTS.name(),
          event,
          OfferPublished.newBuilder()
              .setId(UUID.randomUUID().toString())
              .setOccurredAt(Instant.now())
              .setEventId(event)
              .setOfferId(offer)
              .setName("Floor")
              .setCategory("floor")
              .setPriceMinor(4_500)
              .setCurrency("EUR")
              .setSeatsPerTicket(1)
              .setSeatsOnSale(100)
              .setMaxTicketsPerOrder(4)
              .setMaxTicketsPerCustomer(8)
              .build());
    }

    SeatsHeld held(String reservation, String customer, int quantity) {
      return PurchaseFixtures.held(event, offer, reservation, customer, quantity);
    }

    ReservationConfirmed confirmed(String reservation, String customer, int quantity) {
      return PurchaseFixtures.confirmed(event, offer, reservation, customer, quantity);
    }

    String heldOnly(String customer, int quantity) throws Exception {
      String reservation = event + "-" + (reservations++);
      customers.put(reservation, customer);
      ReservationRequested request =
          CatalogFixtures.request(event, reservation, offer, customer, quantity);
      send(Topics.RESERVATION_REQUESTS.name(), event, request);
      send(Topics.RESERVATIONS.name(), reservation, held(reservation, customer, quantity));
      return reservation;
    }

    String heldAndConfirmed(String customer, int quantity) throws Exception {
      String reservation = heldOnly(customer, quantity);
      send(Topics.RESERVATIONS.name(), reservation, confirmed(reservation, customer, quantity));
      return reservation;
    }

    void issueTickets(String reservation, int count) throws Exception {
      for (int i = 0; i < count; i++) {
        TicketIssued ticket =
            TicketIssued.newBuilder(
                    PurchaseFixtures.ticket(event, offer, reservation, customerOf(reservation), i))
                .setTicketId(reservation + "-t" + i)
                .build();
        send(Topics.TICKETS.name(), ticket.getTicketId(), ticket);
      }
    }

    private String customerOf(String reservation) {
      return customers.get(reservation);
    }

    TicketScanned scan(String ticket, String gate, ScanOutcome outcome) throws Exception {
      TicketScanned scanned =
          TicketScanned.newBuilder()
              .setId(UUID.randomUUID().toString())
              .setOccurredAt(Instant.now())
              .setScanId(UUID.randomUUID().toString())
              .setTicketId(ticket)
              .setEventId(event)
              .setGate(gate)
              .setOutcome(outcome)
              .setRejectionReason(
                  outcome == ScanOutcome.ACCEPTED ? null : ScanRejectionReason.ALREADY_USED)
              .setFirstScannedAt(null)
              .setFirstGate(null)
              .build();
      send(Topics.SCANS.name(), ticket, scanned);
      return scanned;
    }

    /** A ticket let in by an offline device although already used, as the gate reports it. */
    TicketScanned offlineDuplicate(String ticket, String gate, String device) throws Exception {
      Instant now = Instant.now();
      TicketScanned scanned =
          TicketScanned.newBuilder()
              .setId(UUID.randomUUID().toString())
              .setOccurredAt(now.minusSeconds(30))
              .setScanId(UUID.randomUUID().toString())
              .setTicketId(ticket)
              .setEventId(event)
              .setGate(gate)
              .setOutcome(ScanOutcome.REJECTED)
              .setRejectionReason(ScanRejectionReason.DUPLICATE_OFFLINE)
              .setFirstScannedAt(now.minusSeconds(60))
              .setFirstGate("east")
              .setDevice(device)
              .build();
      send(Topics.SCANS.name(), ticket, scanned);
      return scanned;
    }
  }
}
