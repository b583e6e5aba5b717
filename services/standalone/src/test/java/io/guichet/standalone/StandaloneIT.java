package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.tracing.TraceParent;
import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.QrReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The standalone mode, started twice on one data directory, as the README's run command does. */
class StandaloneIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path data;

  @Test
  void serves_every_subject_carries_events_and_keeps_everything_across_a_restart()
      throws Exception {
    StandaloneSettings settings = new StandaloneSettings(data, 0, 0, 0, 0, 0);
    SeatsHeld held = seatsHeld();
    Map<String, Integer> idsBefore;

    try (Standalone first = Standalone.start(settings)) {
      assertThat(first.summary())
          .contains("Schema registry", Topics.eventTypeCount() + " subjects", "created now");
      idsBefore = subjectIds(first.schemaRegistryUrl());
      assertThat(idsBefore.keySet())
          .hasSize(Topics.eventTypeCount())
          .contains(
              "booking.reservations-io.guichet.events.booking.SeatsHeld",
              "gate.scans-io.guichet.events.gate.TicketScanned");

      try (KafkaProducer<String, SeatsHeld> producer = producer(first)) {
        producer
            .send(new ProducerRecord<>(Topics.RESERVATIONS.name(), held.getReservationId(), held))
            .get();
      }
      assertThat(readBack(first, held.getId())).isEqualTo(held);

      assertThat(first.summary())
          .contains(
              "booking",
              "catalog",
              "payment",
              "ticketing",
              "gate",
              "identity",
              "query",
              "notification",
              "gateway",
              "gateway-actuator",
              "/actuator/health",
              first.serviceUrl("gateway") + "/openapi.json",
              "infra/grafana/dashboards");
      People people = people(first, data);
      Partner partner = Partner.subscribes(people);
      Purchase purchase = buyerPaysForSeatsOfAnOrganizersEvent(people);
      assertThat(purchase.status()).isEqualTo("CONFIRMED");
      buyerEntersWithTheirTicketOnce(first, people, purchase);
      theReadModelsShowTheSaleToBuyerAndOrganizer(people, purchase);
      theBuyerIsWrittenToInFrenchOncePerFact(first, people);
      theBuyerDownloadsTheirInvoice(people, purchase);
      TransferPages.aNewcomerAcceptsATicketFromTheEmailsLinkAndOnlyTheirsGetsIn(
          first, people, purchase.eventId());
      partner.receivesTheSaleSignedAndInOrder(purchase);
      oneTraceFollowsEachRequestThroughEveryKafkaHop(first, purchase);
      anOperatorSeesTheSaleInTheMetricsTheDashboardReads(first);
      theApiDocumentDescribesEveryAnswerSeen(first, people);
      aDisabledAccountIsRefusedByEveryServiceWithinSeconds(people);
      GatePages.admitWithRotatingCodesOnlineAndOffline(people, purchase);
      SeatMapPages.aBuyerSeesOthersTakeSeatsLiveAndPicksTheirsOnTheMap(people);

      first.postgres().createDatabase("kept");
      try (Connection connection = DriverManager.getConnection(first.postgres().jdbcUrl("kept"));
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE kept_row (id varchar(64) PRIMARY KEY)");
        statement.execute("INSERT INTO kept_row VALUES ('" + held.getId() + "')");
      }
    }

    try (Standalone second = Standalone.start(settings)) {
      assertThat(second.summary()).contains("found from an earlier run");
      try (Admin admin =
          Admin.create(Map.of("bootstrap.servers", second.kafkaBootstrapServers()))) {
        Set<String> topics = admin.listTopics().names().get();
        assertThat(topics).containsAll(Topics.ALL.stream().map(TopicSpec::name).toList());
      }
      // Every subject keeps its id. (The run may have added subjects of internal topics, such as
      // the allocator's forwarding of PaymentCaptured by event, under the same schema ids.)
      assertThat(subjectIds(second.schemaRegistryUrl())).containsAllEntriesOf(idsBefore);
      assertThat(readBack(second, held.getId())).isEqualTo(held);
      try (Connection connection = DriverManager.getConnection(second.postgres().jdbcUrl("kept"));
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT id FROM kept_row")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo(held.getId());
      }
    }
  }

  /**
   * Every service's /actuator/prometheus, after the purchase: the custom metrics are there and
   * count what just happened, and every metric the on-sale dashboard reads exists.
   */
  private static void anOperatorSeesTheSaleInTheMetricsTheDashboardReads(Standalone standalone)
      throws Exception {
    Map<String, String> scraped = new LinkedHashMap<>();
    for (String service :
        List.of("booking", "catalog", "payment", "ticketing", "gate", "identity", "gateway")) {
      HttpResponse<String> metrics =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(standalone.managementUrl(service) + "/actuator/prometheus"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).as(service).isEqualTo(200);
      assertThat(metrics.body())
          .as(service)
          .contains("application=\"" + service + "\"", "http_server_requests_seconds_count");
      scraped.put(service, metrics.body());
    }
    // The gateway's port is the public one: it shows neither metrics nor health details.
    assertThat(standalone.managementUrl("gateway")).isNotEqualTo(standalone.serviceUrl("gateway"));
    for (String hidden : List.of("/actuator/prometheus", "/actuator/health")) {
      HttpResponse<String> refused =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(standalone.serviceUrl("gateway") + hidden)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(hidden).isEqualTo(404);
    }
    Set<String> samples = new java.util.TreeSet<>();
    scraped.values().forEach(body -> samples.addAll(DashboardQueries.samples(body)));
    assertThat(samples)
        .as("metrics the on-sale dashboard reads")
        .containsAll(DashboardQueries.metrics(DashboardQueries.ON_SALE));

    String booking = scraped.get("booking");
    assertThat(sample(booking, "guichet_reservations_held_total")).isGreaterThanOrEqualTo(1);
    assertThat(sample(booking, "guichet_seats_held_total")).isGreaterThanOrEqualTo(2);
    assertThat(sample(booking, "guichet_reservations_confirmed_total")).isGreaterThanOrEqualTo(1);
    assertThat(sample(booking, "guichet_reservations_requests_total", "outcome=\"accepted\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(booking)
        .contains(
            "guichet_reservations_rejected_total{application=\"booking\",reason=\"sold_out\"}",
            "guichet_consumer_lag_records{application=\"booking\",group=\"booking-allocator\"}",
            "guichet_outbox_backlog_events{application=\"booking\"}");
    // The catalog published the event, its offer and the opening of sales through its outbox.
    assertThat(sample(scraped.get("catalog"), "guichet_outbox_published_events_total"))
        .isGreaterThanOrEqualTo(3);
    String payment = scraped.get("payment");
    assertThat(
            sample(
                payment,
                "guichet_payment_provider_seconds_count",
                "operation=\"charge\"",
                "outcome=\"captured\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(payment)
        .contains(
            "guichet_consumer_lag_records{application=\"payment\",group=\"payment-payables\"}");
    assertThat(sample(payment, "guichet_consumer_lag_records")).isNotNaN();
    assertThat(scraped.get("gateway")).contains("guichet_gateway_refused_total");
    // Ticketing's consumer observed the records that cause its events (the confirmation; it writes
    // a poll set-based and skips the hold without a statement or a span): a span each (child of
    // the record's trace) and this timer.
    assertThat(
            sample(
                scraped.get("ticketing"),
                "guichet_kafka_consume_seconds_count",
                "topic=\"booking.reservations\""))
        .isGreaterThanOrEqualTo(1);
  }

  /** The sum of a metric's samples whose labels contain every fragment. */
  private static double sample(String exposition, String metric, String... labels) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
        continue;
      }
      if (java.util.Arrays.stream(labels).allMatch(line::contains)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    assertThat(found).as(metric + " " + List.of(labels)).isTrue();
    return sum;
  }

  /** The people of the purchase path, each with an access token from identity. */
  /** The tokens of each, and the buyer's address (French-speaking). */
  /**
   * The gateway's OpenAPI document is valid OpenAPI 3.1, covers every service, describes every
   * answer this test got through the gateway, and {@code /docs} shows it.
   */
  private void theApiDocumentDescribesEveryAnswerSeen(Standalone standalone, People people)
      throws Exception {
    String gateway = standalone.serviceUrl("gateway");
    JsonNode document = ApiDocumentCheck.document(gateway);
    ApiDocumentCheck.isValidOpenApi31(document, data);
    ApiDocumentCheck.coversEveryService(document);
    ApiDocumentCheck.describesEveryAnswer(document, people.api().exchanges());
    ApiDocumentCheck.readmesMatch(document);
    ApiDocumentCheck.docsShowEveryOperation(gateway, document);
  }

  /**
   * An admin disables the stranger: identity publishes the fact and every service refuses the
   * stranger's still unexpired token within seconds (no call to identity; before, it took the
   * token's 15 minutes).
   */
  private static void aDisabledAccountIsRefusedByEveryServiceWithinSeconds(People people)
      throws Exception {
    GuichetApi api = people.api();
    HttpResponse<String> me = api.send("GET", "/me", people.stranger(), null);
    assertThat(me.statusCode()).isEqualTo(200);
    String strangerId = JSON.readTree(me.body()).get("id").asString();
    List<String> paths =
        List.of(
            "/me",
            "/reservations/r-none",
            "/payments/p-none",
            "/tickets?reservation=r-none",
            "/views/reservations",
            "/events/e-none/scanner-bundle",
            "/partners/webhooks",
            "/waiting-rooms/e-none");
    for (String path : paths) {
      assertThat(api.send("GET", path, people.stranger(), null).statusCode())
          .as("before: " + path)
          .isNotEqualTo(401);
    }
    HttpResponse<String> disabled =
        api.send("POST", "/accounts/" + strangerId + "/disable", people.admin(), null);
    assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (String path : paths) {
                assertThat(api.send("GET", path, people.stranger(), null).statusCode())
                    .as("after: " + path)
                    .isEqualTo(401);
              }
            });
  }

  record People(
      GuichetApi api,
      String organizer,
      String buyer,
      String stranger,
      String admin,
      String buyerEmail,
      String password) {}

  /**
   * The first admin (from the standalone's generated secrets) enrols a second factor and logs in;
   * an organizer registers, is made one by the admin, enrols and logs in; a buyer and a stranger
   * register and log in. Everything goes through the gateway.
   */
  static People people(Standalone standalone, Path data) throws Exception {
    GuichetApi api = new GuichetApi(standalone.serviceUrl("gateway"));
    return people(api, api.loginFirstAdmin(data));
  }

  /** The same people, made by this admin on this API (the compose stack's, say). */
  static People people(GuichetApi api, String admin) throws Exception {
    String password = GuichetApi.password();
    String organizerEmail = "organizer-" + GuichetApi.unique() + "@standalone-it.example.org";
    api.grant(admin, api.register(organizerEmail, password), List.of("ORGANIZER"), List.of());
    String organizer = api.loginWithSecondFactor(organizerEmail, password);
    String buyerEmail = "buyer-" + GuichetApi.unique() + "@standalone-it.example.org";
    api.register(buyerEmail, password, "fr");
    String strangerEmail = "stranger-" + GuichetApi.unique() + "@standalone-it.example.org";
    api.register(strangerEmail, password);
    return new People(
        api,
        organizer,
        api.login(buyerEmail, password),
        api.login(strangerEmail, password),
        admin,
        buyerEmail,
        password);
  }

  /**
   * The purchase path over HTTP, through the gateway, through every service that runs: an organizer
   * schedules an event, publishes an offer and opens sales (catalog); a buyer reserves (booking),
   * follows the reservation until the allocator holds the seats, pays them (payment, simulated
   * provider) and follows the reservation until the allocator confirms it. A customer may not
   * schedule an event, and a stranger does not see the buyer's reservation.
   */
  static Purchase buyerPaysForSeatsOfAnOrganizersEvent(People people) throws Exception {
    GuichetApi api = people.api();
    String eventBody =
        "{\"title\":\"Launch night\",\"kind\":\"concert\","
            + "\"venue\":{\"name\":\"Olympia\",\"address\":\"28 bd des Capucines\","
            + "\"city\":\"Paris\",\"country\":\"FR\",\"capacity\":2000},"
            + "\"startsAt\":\"2031-06-21T20:00\",\"endsAt\":\"2031-06-21T23:00\","
            // Printed tickets allowed: the buyer's static QR code gets in too.
            + "\"timeZone\":\"Europe/Paris\",\"staticCodes\":true}";
    // The catalog knows identity's key moments after identity published it.
    HttpResponse<String>[] scheduled = new HttpResponse[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              scheduled[0] = api.send("POST", "/events", people.organizer(), eventBody);
              return scheduled[0].statusCode() != 401;
            });
    assertThat(scheduled[0].statusCode()).as(scheduled[0].body()).isEqualTo(201);
    assertThat(scheduled[0].headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    String eventId = JSON.readTree(scheduled[0].body()).get("id").asString();
    assertThat(api.send("POST", "/events", people.buyer(), eventBody).statusCode()).isEqualTo(403);
    JsonNode offered =
        expect(
            api.send(
                "POST",
                "/events/" + eventId + "/offers",
                people.organizer(),
                "{\"name\":\"Solo\",\"priceMinor\":4500,\"currency\":\"EUR\","
                    + "\"seatsPerTicket\":1,\"seatsOnSale\":100,\"maxTicketsPerOrder\":4,"
                    + "\"maxTicketsPerCustomer\":4}"),
            201);
    String offerId = offered.at("/offers/0/id").asString();
    expect(api.send("POST", "/events/" + eventId + "/sales/open", people.organizer(), ""), 200);

    String reservation =
        "{\"event\":\"" + eventId + "\",\"offer\":\"" + offerId + "\",\"quantity\":2}";
    // Booking learns of the offer from catalog.events, moments after the organizer published it.
    HttpResponse<String>[] accepted = new HttpResponse[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              accepted[0] = api.send("POST", "/reservations", people.buyer(), reservation);
              return accepted[0].statusCode() == 202;
            });
    String status = JSON.readTree(accepted[0].body()).at("/links/self").asString();
    String reservationId = JSON.readTree(accepted[0].body()).get("reservationId").asString();
    assertThat(statusAfter(api, people.buyer(), status, "REQUESTED")).isEqualTo("HELD");
    assertThat(api.send("GET", status, people.stranger(), null).statusCode()).isEqualTo(404);

    // Payment learns of the hold from booking.reservations, moments after the allocator decided.
    // The first card is declined: PaymentFailed, and the seats stay held.
    String declined = payment(reservationId, "4000000000000002");
    HttpResponse<String>[] refused = new HttpResponse[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              refused[0] = api.send("POST", "/payments", people.buyer(), declined);
              return refused[0].statusCode() != 404;
            });
    assertThat(refused[0].statusCode()).as(refused[0].body()).isEqualTo(402);
    assertThat(
            JSON.readTree(api.send("GET", status, people.buyer(), null).body())
                .get("status")
                .asString())
        .isEqualTo("HELD");
    // A stranger cannot pay it; another card of the buyer's pays.
    assertThat(
            api.send(
                    "POST",
                    "/payments",
                    people.stranger(),
                    payment(reservationId, "4242424242424242"))
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> paid =
        api.send("POST", "/payments", people.buyer(), payment(reservationId, "4242424242424242"));
    assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
    return new Purchase(
        eventId,
        reservationId,
        statusAfter(api, people.buyer(), status, "HELD"),
        traceId(accepted[0]),
        traceId(paid));
  }

  private static String payment(String reservationId, String card) {
    return "{\"reservation\":\""
        + reservationId
        + "\",\"amountMinor\":9000,\"currency\":\"EUR\",\"paymentMethod\":\""
        + card
        + "\"}";
  }

  /**
   * What the buyer has after paying, and the trace ids the gateway answered for the reservation
   * request and the payment.
   */
  record Purchase(
      String eventId,
      String reservationId,
      String status,
      String reservationTrace,
      String paymentTrace) {}

  private static String traceId(HttpResponse<String> answer) {
    String traceId = answer.headers().firstValue("X-Trace-Id").orElse("");
    assertThat(traceId).as("X-Trace-Id of " + answer.uri()).matches("[0-9a-f]{32}");
    return traceId;
  }

  /**
   * One trace follows each request through every Kafka hop it caused: the reservation request
   * (gateway, booking) to ReservationRequested and the allocator's SeatsHeld; the payment (gateway,
   * payment's outbox) to PaymentCaptured, the allocator's ReservationConfirmed (through its
   * payments-by-event topic) and ticketing's TicketIssued (through its consumer and its outbox).
   */
  private static void oneTraceFollowsEachRequestThroughEveryKafkaHop(
      Standalone standalone, Purchase purchase) {
    assertThat(purchase.paymentTrace()).isNotEqualTo(purchase.reservationTrace());
    Map<String, List<String>> traces =
        tracesOf(
            standalone,
            purchase.reservationId(),
            List.of(
                Topics.RESERVATION_REQUESTS.name(),
                Topics.RESERVATIONS.name(),
                Topics.PAYMENTS.name(),
                Topics.TICKETS.name()),
            Set.of(
                "ReservationRequested",
                "SeatsHeld",
                "PaymentCaptured",
                "ReservationConfirmed",
                "TicketIssued"));
    assertThat(traceIds(traces, "ReservationRequested"))
        .containsExactly(purchase.reservationTrace());
    assertThat(traceIds(traces, "SeatsHeld")).containsExactly(purchase.reservationTrace());
    assertThat(traceIds(traces, "PaymentCaptured")).containsExactly(purchase.paymentTrace());
    assertThat(traceIds(traces, "ReservationConfirmed")).containsExactly(purchase.paymentTrace());
    assertThat(traceIds(traces, "TicketIssued")).hasSize(2).containsOnly(purchase.paymentTrace());
    // Ticketing's consumer span sits between: in the same trace, the tickets' parent span is not
    // the confirmation's.
    assertThat(traces.get("TicketIssued"))
        .doesNotContain(traces.get("ReservationConfirmed").get(0));
  }

  private static List<String> traceIds(Map<String, List<String>> traces, String type) {
    return traces.get(type).stream()
        .map(
            traceparent ->
                TraceParent.valid(traceparent).map(TraceParent::traceId).orElse(traceparent))
        .toList();
  }

  /**
   * The {@code traceparent} header of each record of these topics about the reservation, by event
   * type, once every wanted type was seen.
   */
  private static Map<String, List<String>> tracesOf(
      Standalone standalone, String reservationId, List<String> topics, Set<String> wanted) {
    Map<String, List<String>> traces = new java.util.TreeMap<>();
    readDecoded(
        standalone,
        topics,
        (record, value) -> {
          if (value instanceof org.apache.avro.generic.GenericRecord event
              && event.getSchema().getField("reservationId") != null
              && reservationId.equals(String.valueOf(event.get("reservationId")))) {
            String traceparent = TraceParent.of(record.headers()).orElse("none");
            traces
                .computeIfAbsent(event.getSchema().getName(), type -> new ArrayList<>())
                .add(traceparent);
          }
        },
        () -> traces.keySet().containsAll(wanted) && traces.get("TicketIssued").size() >= 2);
    return traces;
  }

  /**
   * Ticketing issues the tickets of the confirmed reservation (TicketIssued); the buyer fetches a
   * ticket's QR code (PNG), which a stranger cannot; a scanner bound to the event by the admin
   * reads it at the gate, which accepts it once, then rejects it as already used.
   */
  /**
   * The query service's views, through the gateway: the buyer follows the reservation's steps
   * (requested, held, confirmed, shown to a late follower too) and sees it and the tickets (one
   * scanned) in their lists; everyone sees the availability; the organizer sees the sales and the
   * scans.
   */
  private static void theReadModelsShowTheSaleToBuyerAndOrganizer(People people, Purchase purchase)
      throws Exception {
    GuichetApi api = people.api();
    List<String> steps = new ArrayList<>();
    for (String line :
        api.eventStream(
            "/views/reservations/" + purchase.reservationId() + "/events", people.buyer())) {
      if (line.startsWith("data:")) {
        steps.add(JSON.readTree(line.substring(5)).get("status").asString());
      }
    }
    assertThat(steps).containsExactly("REQUESTED", "HELD", "CONFIRMED");

    JsonNode mine =
        JSON.readTree(
            api.send("GET", "/views/reservations?status=CONFIRMED", people.buyer(), null).body());
    assertThat(mine.get("total").asInt()).isEqualTo(1);
    assertThat(mine.at("/items/0/reservationId").asString()).isEqualTo(purchase.reservationId());
    assertThat(mine.at("/items/0/payment").asString()).isEqualTo("CAPTURED");
    assertThat(
            JSON.readTree(api.send("GET", "/views/reservations", people.stranger(), null).body())
                .get("total")
                .asInt())
        .isZero();

    // The gate's scan reaches the read models moments after it was made.
    JsonNode[] tickets = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              tickets[0] =
                  JSON.readTree(api.send("GET", "/views/tickets", people.buyer(), null).body());
              return tickets[0].get("total").asInt() == 2
                  && (tickets[0].at("/items/0/scannedAt").isString()
                      || tickets[0].at("/items/1/scannedAt").isString());
            });

    JsonNode offer =
        JSON.readTree(
                api.send(
                        "GET",
                        "/views/events/" + purchase.eventId() + "/availability",
                        people.stranger(),
                        null)
                    .body())
            .at("/offers/0");
    assertThat(offer.get("sold").asInt()).isEqualTo(2);
    assertThat(offer.get("available").asInt()).isEqualTo(98);

    JsonNode statistics =
        JSON.readTree(
            api.send(
                    "GET",
                    "/views/events/" + purchase.eventId() + "/statistics",
                    people.organizer(),
                    null)
                .body());
    assertThat(statistics.at("/offers/0/ticketsSold").asInt()).isEqualTo(2);
    assertThat(statistics.at("/offers/0/revenueMinor").asLong()).isEqualTo(9_000);
    assertThat(statistics.at("/gates/0/accepted").asInt()).isEqualTo(1);
    assertThat(
            api.send(
                    "GET",
                    "/views/events/" + purchase.eventId() + "/statistics",
                    people.buyer(),
                    null)
                .statusCode())
        .isEqualTo(403);
  }

  /**
   * A partner's endpoint on this machine, registered by the admin through the gateway for the
   * sale's facts; it verifies each delivery's signature as a partner would.
   */
  private record Partner(
      com.sun.net.httpserver.HttpServer server, List<String[]> received, byte[] secret) {

    static Partner subscribes(People people) throws Exception {
      List<String[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
      com.sun.net.httpserver.HttpServer server =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/guichet",
          exchange -> {
            received.add(
                new String[] {
                  exchange.getRequestHeaders().getFirst("Guichet-Signature"),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                });
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.start();
      JsonNode registered =
          expect(
              people
                  .api()
                  .send(
                      "POST",
                      "/partners/webhooks",
                      people.admin(),
                      JSON.writeValueAsString(
                          Map.of(
                              "url",
                              "http://127.0.0.1:" + server.getAddress().getPort() + "/guichet",
                              "eventTypes",
                              List.of("SeatsHeld", "ReservationConfirmed", "TicketIssued")))),
              201);
      return new Partner(
          server,
          received,
          java.util.Base64.getUrlDecoder().decode(registered.get("secret").asString()));
    }

    void receivesTheSaleSignedAndInOrder(Purchase purchase) throws Exception {
      try {
        List<String> types = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  types.clear();
                  synchronized (received) {
                    for (String[] delivery : received) {
                      JsonNode payload = JSON.readTree(delivery[1]);
                      if (payload
                          .at("/data/reservationId")
                          .asString()
                          .equals(purchase.reservationId())) {
                        types.add(payload.get("type").asString());
                      }
                    }
                  }
                  return types.size() == 4;
                });
        assertThat(types.subList(0, 2)).containsExactly("SeatsHeld", "ReservationConfirmed");
        assertThat(types.subList(2, 4)).containsOnly("TicketIssued");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
        synchronized (received) {
          for (String[] delivery : received) {
            Matcher signature = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})").matcher(delivery[0]);
            assertThat(signature.matches()).as(delivery[0]).isTrue();
            byte[] expected =
                mac.doFinal(
                    (signature.group(1) + "." + delivery[1]).getBytes(StandardCharsets.UTF_8));
            assertThat(java.util.HexFormat.of().formatHex(expected)).isEqualTo(signature.group(2));
          }
        }
      } finally {
        server.stop(0);
      }
    }
  }

  /**
   * The buyer's mailbox in the standalone's mail catcher (over IMAP): one email for the hold, one
   * for the declined card, one per ticket, one for the invoice, in French.
   */
  /** The purchase's invoice, first of its organizer's sequence, as JSON and as a PDF. */
  private static void theBuyerDownloadsTheirInvoice(People people, Purchase purchase)
      throws Exception {
    GuichetApi api = people.api();
    JsonNode[] invoices = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              invoices[0] =
                  JSON.readTree(api.send("GET", "/invoices", people.buyer(), null).body())
                      .get("invoices");
              return invoices[0].size() == 1;
            });
    JsonNode invoice = invoices[0].get(0);
    assertThat(invoice.get("number").asString()).isEqualTo("F-000001");
    assertThat(invoice.get("reservationId").asString()).isEqualTo(purchase.reservationId());
    assertThat(invoice.get("netMinor").asLong() + invoice.get("taxMinor").asLong())
        .isEqualTo(invoice.get("grossMinor").asLong());
    HttpResponse<byte[]> pdf =
        api.bytes("/invoices/" + invoice.get("invoiceId").asString() + "/pdf", people.buyer());
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(new String(pdf.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("%PDF-");
    assertThat(
            api.send(
                    "GET",
                    "/invoices/" + invoice.get("invoiceId").asString(),
                    people.stranger(),
                    null)
                .statusCode())
        .isEqualTo(404);
  }

  private static void theBuyerIsWrittenToInFrenchOncePerFact(Standalone standalone, People people)
      throws Exception {
    List<String> subjects = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              subjects.clear();
              MailCatcher.inbox(standalone, people.buyerEmail())
                  .forEach(email -> subjects.add(email.subject()));
              return subjects.size() >= 5;
            });
    assertThat(subjects)
        .hasSize(5)
        .filteredOn(subject -> subject.equals("Votre billet pour Launch night"))
        .hasSize(2);
    assertThat(subjects)
        .contains("Votre paiement pour Launch night n'a pas abouti")
        .contains("Votre facture F-000001 pour Launch night")
        .anyMatch(subject -> subject.startsWith("Vos places pour Launch night sont réservées"));
  }

  private static void buyerEntersWithTheirTicketOnce(
      Standalone standalone, People people, Purchase purchase) throws Exception {
    GuichetApi api = people.api();
    JsonNode[] tickets = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              tickets[0] =
                  JSON.readTree(
                          api.send(
                                  "GET",
                                  "/tickets?reservation=" + purchase.reservationId(),
                                  people.buyer(),
                                  null)
                              .body())
                      .get("tickets");
              return tickets[0].size() == 2;
            });
    String ticketId = tickets[0].get(0).get("ticketId").asString();
    Object issued =
        firstDecoded(
            standalone,
            Topics.TICKETS.name(),
            (key, value) -> ticketId.equals(key) && value instanceof TicketIssued);
    assertThat(((TicketIssued) issued).getReservationId()).isEqualTo(purchase.reservationId());
    assertThat(api.send("GET", "/tickets/" + ticketId, people.stranger(), null).statusCode())
        .isEqualTo(404);

    HttpResponse<byte[]> png = api.bytes("/tickets/" + ticketId + "/qr", people.buyer());
    assertThat(png.statusCode()).isEqualTo(200);
    String payload = QrReader.read(png.body());

    String password = GuichetApi.password();
    String scannerEmail = "scanner-" + GuichetApi.unique() + "@standalone-it.example.org";
    api.grant(
        people.admin(),
        api.register(scannerEmail, password),
        List.of("SCANNER"),
        List.of(purchase.eventId()));
    String scanner = api.loginWithSecondFactor(scannerEmail, password);
    // The gate knows the event's tickets once it has read them from ticketing.tickets.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                api.send("GET", "/events/" + purchase.eventId() + "/scanner-bundle", scanner, null)
                        .statusCode()
                    == 200);
    String scan = JSON.writeValueAsString(Map.of("payload", payload, "gate", "north-1"));
    JsonNode first = expect(api.send("POST", "/scans", scanner, scan), 200);
    JsonNode second = expect(api.send("POST", "/scans", scanner, scan), 200);
    assertThat(first.get("outcome").asString()).isEqualTo("ACCEPTED");
    assertThat(second.get("outcome").asString()).isEqualTo("REJECTED");
    assertThat(second.get("reason").asString()).isEqualTo("ALREADY_USED");
    // The buyer does not scan.
    assertThat(api.send("POST", "/scans", people.buyer(), scan).statusCode()).isEqualTo(403);
  }

  /** The reservation's status once it is no longer {@code before}. */
  private static String statusAfter(GuichetApi api, String token, String path, String before) {
    String[] seen = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HttpResponse<String> response = api.send("GET", path, token, null);
              if (response.statusCode() != 200) {
                return false;
              }
              seen[0] = JSON.readTree(response.body()).get("status").asString();
              return !seen[0].equals(before);
            });
    return seen[0];
  }

  private static JsonNode expect(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private static SeatsHeld seatsHeld() {
    return SeatsHeld.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.ofEpochMilli(1_800_000_000_000L))
        .setReservationId("r-" + UUID.randomUUID())
        .setEventId("e-standalone")
        .setOfferId("o-pit")
        .setCustomerId("c-1")
        .setQuantity(2)
        .setSeats(4)
        .setAmountMinor(9_000)
        .setCurrency("EUR")
        .setExpiresAt(Instant.ofEpochMilli(1_800_000_600_000L))
        .build();
  }

  private static <T extends SpecificRecord> KafkaProducer<String, T> producer(
      Standalone standalone) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", standalone.kafkaBootstrapServers());
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, standalone.schemaRegistryUrl());
    AvroSerializer<T> serializer = new AvroSerializer<>();
    serializer.configure(config, false);
    return new KafkaProducer<>(config, new StringSerializer(), serializer);
  }

  /** The SeatsHeld with this id, read back as any Confluent tool would. */
  private static Object readBack(Standalone standalone, String id) {
    return firstDecoded(
        standalone,
        Topics.RESERVATIONS.name(),
        (key, value) -> value instanceof SeatsHeld seats && seats.getId().equals(id));
  }

  /**
   * The first committed record of a topic that matches, read by a plain consumer of bytes and
   * decoded with the deserializer.
   */
  private static Object firstDecoded(
      Standalone standalone, String topic, BiPredicate<String, Object> match) {
    List<Object> found = new ArrayList<>();
    readDecoded(
        standalone,
        List.of(topic),
        (record, value) -> {
          if (match.test(record.key(), value)) {
            found.add(value);
          }
        },
        () -> !found.isEmpty());
    return found.get(0);
  }

  /** What to do with each record read, with its decoded value. */
  private interface DecodedRecords {
    void accept(ConsumerRecord<String, byte[]> record, Object value);
  }

  /**
   * Reads the committed records of these topics from the start, as a plain consumer of bytes
   * decoding with the deserializer, until {@code done} says enough was seen.
   */
  private static void readDecoded(
      Standalone standalone,
      List<String> topics,
      DecodedRecords each,
      java.util.concurrent.Callable<Boolean> done) {
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
    deserializer.configure(
        Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, standalone.schemaRegistryUrl()), false);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                standalone.kafkaBootstrapServers(),
                "group.id",
                "standalone-it-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "isolation.level",
                "read_committed"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(topics);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  each.accept(record, deserializer.deserialize(record.topic(), record.value()));
                }
                return done.call();
              });
    }
  }

  private static Map<String, Integer> subjectIds(String registryUrl) throws Exception {
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (JsonNode subject : get(registryUrl + "/subjects")) {
      ids.put(
          subject.asString(),
          get(registryUrl + "/subjects/" + subject.asString() + "/versions/latest")
              .path("id")
              .asInt());
    }
    return ids;
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
