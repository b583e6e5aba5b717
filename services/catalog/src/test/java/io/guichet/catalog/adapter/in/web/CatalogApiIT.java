package io.guichet.catalog.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.catalog.CatalogApplication;
import io.guichet.events.catalog.AccessCodeCreated;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventKind;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SalesClosed;
import io.guichet.events.catalog.SalesOpened;
import io.guichet.platform.access.Role;
import io.guichet.platform.ids.AccessCodes;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.ApiRequests;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The catalog over real HTTP, PostgreSQL and Kafka: commands, their facts, and refusals. */
class CatalogApiIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ConfigurableApplicationContext catalog;
  private static String base;

  private final String organizer = "org-" + UUID.randomUUID();
  private final String organizerToken = TestTokens.get().token(organizer, Role.ORGANIZER);
  private KafkaConsumer<String, SpecificRecord> consumer;

  @BeforeAll
  static void start() {
    TestTokens.get();
    INFRA.postgres().createDatabase("catalog_api_it");
    catalog = startCatalog();
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) catalog).getWebServer().getPort();
  }

  private static ConfigurableApplicationContext startCatalog() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--guichet.catalog.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                "--guichet.catalog.schema-registry-url=" + INFRA.schemaRegistryUrl(),
                "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl("catalog_api_it"),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password="));
    args.addAll(TestTokens.accessArgs());
    return CatalogApplication.application().run(args.toArray(String[]::new));
  }

  @AfterAll
  static void stopCatalog() {
    catalog.close();
  }

  @AfterEach
  void closeConsumer() {
    if (consumer != null) {
      consumer.close();
    }
  }

  @Test
  void an_organizer_schedules_an_event_publishes_an_offer_and_runs_its_sales() throws Exception {
    HttpResponse<String> created = send("POST", "/events", event(organizer, 2_000));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode event = JSON.readTree(created.body());
    String id = event.get("id").asString();
    assertThat(created.headers().firstValue("Location")).hasValue("/events/" + id);
    assertThat(event.get("startsAtUtc").asString()).isEqualTo("2031-06-21T18:00:00Z");
    // Not said: its tickets show the rotating code only.
    assertThat(event.get("staticCodes").asBoolean()).isFalse();
    // Nor this: its tickets may be transferred.
    assertThat(event.get("transfers").asBoolean()).isTrue();

    String taxed = offer("Duo", 2, 400).replace("}", ",\"vatRate\":5.5}");
    HttpResponse<String> offer = send("POST", "/events/" + id + "/offers", taxed);
    assertThat(offer.statusCode()).as(offer.body()).isEqualTo(201);
    String offerId = JSON.readTree(offer.body()).at("/offers/0/id").asString();
    // 45.00 paid, 5.5 % of VAT included: 2.35 of tax, 42.65 without.
    assertThat(JSON.readTree(offer.body()).at("/offers/0/vatRate").asString()).isEqualTo("5.5");
    assertThat(JSON.readTree(offer.body()).at("/offers/0/priceExcludingTaxMinor").asLong())
        .isEqualTo(4_265);
    assertThat(JSON.readTree(offer.body()).get("pricesIncludeTax").asBoolean()).isTrue();
    for (String rate : List.of("101", "-1", "5.555", "\"20\"")) {
      HttpResponse<String> refused =
          send(
              "POST",
              "/events/" + id + "/offers",
              offer("Bad", 1, 10).replace("}", ",\"vatRate\":" + rate + "}"));
      assertThat(refused.statusCode()).as(rate + " -> " + refused.body()).isEqualTo(400);
      assertThat(refused.body()).contains("vatRate");
    }
    assertThat(send("POST", "/events/" + id + "/sales/open", "").statusCode()).isEqualTo(200);
    assertThat(send("POST", "/events/" + id + "/sales/close", "").statusCode()).isEqualTo(200);
    HttpResponse<String> cancelled =
        send("POST", "/events/" + id + "/cancel", "{\"reason\":\"The band split up\"}");
    assertThat(JSON.readTree(cancelled.body()).get("status").asString()).isEqualTo("CANCELLED");

    List<SpecificRecord> facts = factsOf(id, 5);
    assertThat(facts)
        .extracting(fact -> fact.getClass().getSimpleName())
        .containsExactly(
            "EventScheduled", "OfferPublished", "SalesOpened", "SalesClosed", "EventCancelled");
    EventScheduled scheduled = (EventScheduled) facts.get(0);
    assertThat(scheduled.getOrganizerId()).isEqualTo(organizer);
    assertThat(scheduled.getKind()).isEqualTo(EventKind.CONCERT);
    assertThat(scheduled.getStartsAt()).isEqualTo(Instant.parse("2031-06-21T18:00:00Z"));
    assertThat(scheduled.getTimeZone()).isEqualTo("Europe/Paris");
    assertThat(scheduled.getStaticCodesAllowed()).isFalse();
    assertThat(scheduled.getTransfersAllowed()).isTrue();
    // Seats that come back are held 12 hours for the next buyer on a waiting list.
    assertThat(scheduled.getWaitingListOfferSeconds()).isEqualTo(43_200);
    assertThat(event.get("waitingListOfferMinutes").asInt()).isEqualTo(720);
    OfferPublished published = (OfferPublished) facts.get(1);
    assertThat(published.getOfferId()).isEqualTo(offerId);
    assertThat(published.getSeatsPerTicket()).isEqualTo(2);
    assertThat(published.getSeatsOnSale()).isEqualTo(400);
    assertThat(published.getVatRateBasisPoints()).isEqualTo(550);
    assertThat(scheduled.getPricesIncludeTax()).isTrue();
    assertThat(((SalesOpened) facts.get(2)).getClosesAt()).isNull();
    assertThat(facts.get(3)).isInstanceOf(SalesClosed.class);
    assertThat(((EventCancelled) facts.get(4)).getReason()).isEqualTo("The band split up");

    JsonNode stored = JSON.readTree(send("GET", "/events/" + id, null).body());
    assertThat(stored.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(stored.get("seatsOffered").asInt()).isEqualTo(400);
  }

  @Test
  void an_organizer_allows_static_codes_and_forbids_transfers_and_says_so_again_on_each_change()
      throws Exception {
    String plain = event(organizer, 500);
    String allowing =
        plain.substring(0, plain.length() - 1)
            + ",\"staticCodes\":true,\"transfers\":false,\"waitingListOfferMinutes\":30}";
    HttpResponse<String> created = send("POST", "/events", allowing);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("id").asString();
    assertThat(JSON.readTree(created.body()).get("staticCodes").asBoolean()).isTrue();
    assertThat(JSON.readTree(created.body()).get("transfers").asBoolean()).isFalse();

    // A change of the description without it: rotating codes only, from then on.
    String details = event(organizer, 500).replace("{\"organizer\":\"" + organizer + "\",", "{");
    HttpResponse<String> changed = send("PUT", "/events/" + id, details);
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(JSON.readTree(changed.body()).get("staticCodes").asBoolean()).isFalse();
    assertThat(JSON.readTree(changed.body()).get("transfers").asBoolean()).isTrue();
    assertThat(factsOf(id, 2))
        .extracting(fact -> ((EventScheduled) fact).getStaticCodesAllowed())
        .containsExactly(true, false);
    assertThat(factsOf(id, 2))
        .extracting(fact -> ((EventScheduled) fact).getTransfersAllowed())
        .containsExactly(false, true);
    assertThat(factsOf(id, 2))
        .extracting(fact -> ((EventScheduled) fact).getWaitingListOfferSeconds())
        .containsExactly(1_800, 43_200);
    for (String minutes : List.of("0", "10081", "\"soon\"")) {
      assertProblem(
          send(
              "POST",
              "/events",
              allowing.replace(
                  "\"waitingListOfferMinutes\":30", "\"waitingListOfferMinutes\":" + minutes)),
          400,
          "waitingListOfferMinutes");
    }
    assertThat(
            send(
                    "POST",
                    "/events",
                    allowing.replace("\"staticCodes\":true", "\"staticCodes\":\"yes\""))
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void bad_input_gets_a_problem_naming_the_field_and_publishes_nothing() throws Exception {
    String good = event(organizer, 2_000);
    List<Object[]> cases =
        List.of(
            new Object[] {good.replace("\"concert\"", "\"opera\""), 400, "kind"},
            new Object[] {
              good.replace("\"capacity\":2000", "\"capacity\":\"big\""), 400, "venue.capacity"
            },
            new Object[] {good.replace("\"Europe/Paris\"", "\"Mars/Olympus\""), 400, "timeZone"},
            new Object[] {good.replace("2031-06-21T20:00", "21/06/2031"), 400, "startsAt"},
            new Object[] {good.replace("\"title\":\"Launch night\",", ""), 400, "title"},
            new Object[] {good.replace("2031-06-21T23:00", "2031-06-21T19:00"), 422, "endsAt"},
            new Object[] {good.replace("\"FR\"", "\"XX\""), 422, "venue.country"},
            new Object[] {
              good.replace("{\"organizer\"", "{\"colour\":\"red\",\"organizer\""), 400, "colour"
            },
            // Hostile input: a NUL (PostgreSQL refuses it), dates no Avro timestamp holds, a key
            // twice, data after the document. Each was accepted or answered 503 before.
            new Object[] {good.replace("Launch night", "Launch\\u0000night"), 400, "title"},
            new Object[] {good.replace("Olympia", "Oly\\u0000mpia"), 400, "venue.name"},
            new Object[] {
              good.replace("2031-06-21T20:00", "+999999999-06-21T20:00"), 400, "startsAt"
            },
            new Object[] {good.replace("2031-06-21T23:00", "9999-06-21T23:00"), 400, "endsAt"},
            new Object[] {
              good.replace("\"kind\":\"concert\"", "\"kind\":\"concert\",\"kind\":\"match\""),
              400,
              null
            },
            new Object[] {good + "x", 400, null},
            new Object[] {good + good, 400, null},
            new Object[] {"{\"title\":", 400, null});
    for (Object[] badCase : cases) {
      HttpResponse<String> response = send("POST", "/events", (String) badCase[0]);
      assertThat(response.statusCode()).as((String) badCase[0]).isEqualTo(badCase[1]);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      if (badCase[2] != null) {
        assertThat(response.body()).as((String) badCase[0]).contains("\"errors\"");
        assertThat(JSON.readTree(response.body()).get("errors").findValuesAsString("field"))
            .as((String) badCase[0])
            .contains((String) badCase[2]);
      }
    }

    String id =
        JSON.readTree(send("POST", "/events", event(organizer, 100)).body()).get("id").asString();
    assertProblem(send("POST", "/events/" + id + "/sales/open", ""), 409, "event");
    assertProblem(
        send("POST", "/events/" + id + "/offers", offer("Solo", 1, 101)), 422, "seatsOnSale");
    assertProblem(
        send("POST", "/events/" + id + "/offers", offer("Trio", 3, 99)), 422, "seatsPerTicket");
    assertProblem(
        send(
            "POST",
            "/events/" + id + "/offers",
            offer("Solo", 1, 10).replace("\"EUR\"", "\"EURO\"")),
        400,
        "currency");
    assertProblem(send("POST", "/events/" + id + "/sales/close", ""), 409, "event");
    assertProblem(send("POST", "/events/" + id + "/cancel", "{}"), 400, "reason");
    assertProblem(
        send("POST", "/events/" + id + "/cancel", "{\"reason\":\"a\\u0000b\"}"), 400, "reason");
    assertProblem(
        send("POST", "/events/" + id + "/offers", offer("So\\u0000lo", 1, 10)), 400, "name");
    assertProblem(
        send(
            "POST", "/events/" + id + "/offers", offer("Solo", 1, 10).replace("{", "{\"name\":1,")),
        400,
        null);
    assertProblem(
        send("POST", "/events/" + id + "/sales/open", "{\"closesAt\":\"+20000-01-01T00:00\"}"),
        400,
        "closesAt");
    assertProblem(
        send("POST", "/events/" + id + "/sales/open", "{\"closesAt\":null} {}"), 400, null);
    assertProblem(send("POST", "/events/no-such-event/sales/open", ""), 404, null);
    assertProblem(send("GET", "/events/no-such-event", null), 404, null);

    // The one good event's EventScheduled is the only fact of this organizer: the outbox publishes
    // in order, so a fact of a refused request would have come before it.
    assertThat(factsOf(id, 1)).singleElement().isInstanceOf(EventScheduled.class);
    assertThat(scheduledBy(organizer)).containsExactly(id);
  }

  @Test
  void only_organizers_change_the_catalog_and_only_their_own_events() throws Exception {
    String id =
        JSON.readTree(send("POST", "/events", event(organizer, 100)).body()).get("id").asString();
    String customer = TestTokens.get().token("customer-" + UUID.randomUUID(), Role.CUSTOMER);
    String rival = "org-" + UUID.randomUUID();
    String rivalToken = TestTokens.get().token(rival, Role.ORGANIZER);

    // Anyone reads; a customer or an anonymous caller changes nothing.
    assertThat(sendAs(null, "GET", "/events/" + id, null).statusCode()).isEqualTo(200);
    assertThat(sendAs(null, "GET", "/events?organizer=" + organizer, null).statusCode())
        .isEqualTo(200);
    HttpResponse<String> anonymous = sendAs(null, "POST", "/events", event(organizer, 100));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    assertProblem(sendAs(customer, "POST", "/events", event(organizer, 100)), 403, null);
    assertProblem(sendAs(customer, "POST", "/events/" + id + "/sales/open", ""), 403, null);

    // A token signed with identity's key but claiming a year's life is not one identity issued.
    java.time.Instant now = java.time.Instant.now();
    String yearLong =
        TestTokens.get()
            .sign(
                organizer,
                List.of(),
                now,
                now.plus(java.time.Duration.ofDays(365)),
                Role.ORGANIZER);
    assertProblem(sendAs(yearLong, "POST", "/events", event(organizer, 100)), 401, null);

    // Another organizer may neither change this event nor schedule one in this organizer's name.
    assertProblem(
        sendAs(rivalToken, "POST", "/events/" + id + "/offers", offer("Solo", 1, 10)), 403, null);
    assertProblem(sendAs(rivalToken, "POST", "/events/" + id + "/sales/open", ""), 403, null);
    assertProblem(
        sendAs(rivalToken, "POST", "/events/" + id + "/cancel", "{\"reason\":\"mine now\"}"),
        403,
        null);
    assertProblem(sendAs(rivalToken, "POST", "/events", event(organizer, 100)), 400, "organizer");
    assertProblem(sendAs(rivalToken, "POST", "/events/no-such-event/sales/open", ""), 404, null);

    // An admin schedules for an organizer (who then owns the event) and may change any event.
    String admin = TestTokens.get().token("admin-" + UUID.randomUUID(), Role.ADMIN);
    HttpResponse<String> forRival = sendAs(admin, "POST", "/events", event(rival, 100));
    assertThat(forRival.statusCode()).as(forRival.body()).isEqualTo(201);
    String rivalsEvent = JSON.readTree(forRival.body()).get("id").asString();
    assertThat(
            sendAs(rivalToken, "POST", "/events/" + rivalsEvent + "/offers", offer("Solo", 1, 10))
                .statusCode())
        .isEqualTo(201);
    assertProblem(
        sendAs(
            admin,
            "POST",
            "/events",
            event(organizer, 100).replaceFirst("\"organizer\":\"[^\"]+\",", "")),
        400,
        "organizer");
    assertThat(send("POST", "/events/" + rivalsEvent + "/sales/open", "").statusCode())
        .isEqualTo(403);

    // Nothing refused was published: the relay publishes in order, and the admin's event came last.
    assertThat(factsOf(rivalsEvent, 2))
        .extracting(fact -> fact.getClass().getSimpleName())
        .containsExactly("EventScheduled", "OfferPublished");
    assertThat(factsOf(id, 1)).singleElement().isInstanceOf(EventScheduled.class);
    assertThat(scheduledBy(organizer)).containsExactly(id);
  }

  @Test
  void sales_opened_with_a_planned_close_close_by_themselves_then() throws Exception {
    String id =
        JSON.readTree(send("POST", "/events", event(organizer, 100)).body()).get("id").asString();
    send("POST", "/events/" + id + "/offers", offer("Solo", 1, 10));
    String closesAt =
        LocalDateTime.now(ZoneId.of("Europe/Paris"))
            .plusSeconds(3)
            .truncatedTo(ChronoUnit.SECONDS)
            .toString();

    HttpResponse<String> opened =
        send("POST", "/events/" + id + "/sales/open", "{\"closesAt\":\"" + closesAt + "\"}");
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                JSON.readTree(send("GET", "/events/" + id, null).body())
                    .get("status")
                    .asString()
                    .equals("SALES_CLOSED"));
    List<SpecificRecord> facts = factsOf(id, 4);
    assertThat(facts.get(2)).isInstanceOf(SalesOpened.class);
    assertThat(((SalesOpened) facts.get(2)).getClosesAt())
        .isEqualTo(LocalDateTime.parse(closesAt).atZone(ZoneId.of("Europe/Paris")).toInstant());
    assertThat(facts.get(3)).isInstanceOf(SalesClosed.class);
  }

  @Test
  void an_organizers_events_are_listed_a_page_at_a_time() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          JSON.readTree(send("POST", "/events", event(organizer, 100)).body())
              .get("id")
              .asString());
    }

    JsonNode first =
        JSON.readTree(send("GET", "/events?organizer=" + organizer + "&size=2", null).body());
    JsonNode second =
        JSON.readTree(
            send("GET", "/events?organizer=" + organizer + "&size=2&page=1", null).body());

    assertThat(first.get("total").asLong()).isEqualTo(3);
    assertThat(first.get("items").findValuesAsString("id")).containsExactly(ids.get(2), ids.get(1));
    assertThat(second.get("items").findValuesAsString("id")).containsExactly(ids.get(0));
    assertProblem(send("GET", "/events?size=0", null), 400, "size");
    assertProblem(send("GET", "/events?page=-1", null), 400, "page");
    assertProblem(send("GET", "/events?size=ten", null), 400, "size");
  }

  @Test
  void a_catalog_started_after_a_key_rotation_accepts_tokens_signed_with_the_new_key()
      throws Exception {
    // identity rotates: a new key is published (and the old one, say, retired a second ago).
    TestTokens rotated = TestTokens.publish(INFRA, Instant.now().minusSeconds(5), null);
    String token = rotated.token(organizer, Role.ORGANIZER);
    TestTokens retired =
        TestTokens.publish(INFRA, Instant.now().minusSeconds(3600), Instant.now().minusSeconds(1));

    ConfigurableApplicationContext late = startCatalog();
    try {
      String lateBase =
          "http://127.0.0.1:" + ((WebServerApplicationContext) late).getWebServer().getPort();
      // Known from its first request: it read every key before it started serving.
      HttpResponse<String> created =
          sendTo(lateBase, token, "POST", "/events", event(organizer, 50));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      HttpResponse<String> refused =
          sendTo(
              lateBase,
              retired.token(organizer, Role.ORGANIZER),
              "POST",
              "/events",
              event(organizer, 50));
      assertThat(refused.statusCode()).isEqualTo(401);
    } finally {
      late.close();
    }
    // The catalog that was already running learns the new key from the topic too.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sendAs(token, "POST", "/events", event(organizer, 50)).statusCode() == 201);
  }

  @Test
  void closing_another_service_of_the_jvm_leaves_this_one_and_the_registry_serving()
      throws Exception {
    ConfigurableApplicationContext other = startCatalog();
    other.close();

    assertThat(send("GET", "/events/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
    HttpResponse<String> subjects =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(INFRA.schemaRegistryUrl() + "/subjects")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(subjects.statusCode()).isEqualTo(200);
  }

  /**
   * Access codes: an organizer creates them (chosen or generated, for some offers or all, counted,
   * dated, presale, reduced); buyers see a hidden offer only with a code that unlocks it; facts
   * carry the code's digest, never the code; bad input changes nothing.
   */
  @Test
  void access_codes_unlock_hidden_offers_and_travel_as_digests_only() throws Exception {
    String id =
        JSON.readTree(send("POST", "/events", event(organizer, 2_000)).body()).get("id").asString();
    String pit =
        JSON.readTree(send("POST", "/events/" + id + "/offers", offer("Pit", 1, 100)).body())
            .at("/offers/0/id")
            .asString();
    String hidden =
        JSON.readTree(
                send(
                        "POST",
                        "/events/" + id + "/offers",
                        offer("Backstage", 1, 10).replace("}", ",\"hidden\":true}"))
                    .body())
            .at("/offers/1/id")
            .asString();

    String codeBody =
        "{\"code\":\"backstage-2031\",\"offers\":[\""
            + hidden
            + "\"],\"uses\":100,"
            + "\"validFrom\":\"2026-01-01T10:00\",\"validUntil\":\"2031-06-21T20:00\","
            + "\"presale\":true,\"discountPercent\":12.5}";
    HttpResponse<String> created = send("POST", "/events/" + id + "/access-codes", codeBody);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode code = JSON.readTree(created.body());
    assertThat(code.get("code").asString()).isEqualTo("BACKSTAGE-2031");
    assertThat(code.get("validFromUtc").asString()).isEqualTo("2026-01-01T09:00:00Z");
    assertThat(code.get("discountPercent").asString()).isEqualTo("12.5");
    assertThat(created.headers().firstValue("Location"))
        .hasValue("/events/" + id + "/access-codes/" + code.get("id").asString());
    // The same code again is a conflict, whatever its case.
    assertProblem(
        send("POST", "/events/" + id + "/access-codes", codeBody.replace("backstage", "BACKSTAGE")),
        409,
        null);
    // None asked for: a generated single-use code for every offer.
    JsonNode generated =
        JSON.readTree(send("POST", "/events/" + id + "/access-codes", "{}").body());
    assertThat(generated.get("code").asString()).matches("[A-HJ-NP-Z2-9]{10}");
    assertThat(generated.get("uses").asInt()).isEqualTo(1);
    assertThat(generated.get("offers")).isEmpty();

    // The public sees the event without its hidden offer (nor its seats); the organizer with it;
    // a buyer with the code (as typed) with it.
    JsonNode anonymous = JSON.readTree(sendAs(null, "GET", "/events/" + id, null).body());
    assertThat(anonymous.get("offers").findValuesAsString("id")).containsExactly(pit);
    assertThat(anonymous.get("seatsOffered").asInt()).isEqualTo(100);
    String buyer = TestTokens.get().token("buyer-" + UUID.randomUUID(), Role.CUSTOMER);
    assertThat(
            JSON.readTree(sendAs(buyer, "GET", "/events/" + id, null).body())
                .get("offers")
                .findValuesAsString("id"))
        .containsExactly(pit);
    assertThat(
            JSON.readTree(sendAs(null, "GET", "/events?organizer=" + organizer, null).body())
                .at("/items/0/offers")
                .findValuesAsString("id"))
        .containsExactly(pit);
    JsonNode own = JSON.readTree(send("GET", "/events/" + id, null).body());
    assertThat(own.get("offers").findValuesAsString("id")).containsExactly(pit, hidden);
    assertThat(own.at("/offers/1/hidden").asBoolean()).isTrue();
    JsonNode unlocked =
        JSON.readTree(
            sendAs(null, "GET", "/events/" + id + "?accessCode=backstage-2031", null).body());
    assertThat(unlocked.get("offers").findValuesAsString("id")).containsExactly(pit, hidden);
    assertProblem(
        sendAs(null, "GET", "/events/" + id + "?accessCode=NOT-A-CODE", null), 422, "accessCode");
    assertProblem(sendAs(null, "GET", "/events/" + id + "?accessCode=a%20b", null), 400, null);

    // Codes are their organizer's: listed for them, refused to another organizer and to buyers.
    JsonNode listed = JSON.readTree(send("GET", "/events/" + id + "/access-codes", null).body());
    assertThat(listed.get("total").asInt()).isEqualTo(2);
    String other = TestTokens.get().token("org-" + UUID.randomUUID(), Role.ORGANIZER);
    assertProblem(sendAs(other, "GET", "/events/" + id + "/access-codes", null), 403, null);
    assertThat(sendAs(buyer, "GET", "/events/" + id + "/access-codes", null).statusCode())
        .isEqualTo(403);
    assertThat(sendAs(null, "GET", "/events/" + id + "/access-codes", null).statusCode())
        .isEqualTo(401);
    assertProblem(sendAs(other, "POST", "/events/" + id + "/access-codes", "{}"), 403, null);

    // Bad input: each refused naming its field, nothing stored or published.
    Map<String, String> bad =
        Map.of(
            "{\"code\":\"abc\"}", "code",
            "{\"code\":\"has space\"}", "code",
            "{\"uses\":0}", "uses",
            "{\"uses\":\"ten\"}", "uses",
            "{\"offers\":[\"no-such-offer\"]}", "offers[0]",
            "{\"offers\":[null]}", "offers[0]",
            "{\"discountPercent\":100.5}", "discountPercent",
            "{\"validFrom\":\"2031-01-01T10:00\",\"validUntil\":\"2030-01-01T10:00\"}",
                "validUntil",
            "{\"validUntil\":\"2020-01-01T10:00\"}", "validUntil",
            "{\"presale\":\"yes\"}", "presale");
    for (Map.Entry<String, String> entry : bad.entrySet()) {
      HttpResponse<String> refused =
          send("POST", "/events/" + id + "/access-codes", entry.getKey());
      assertThat(refused.statusCode()).as(entry.getKey()).isBetween(400, 422);
      assertProblem(refused, refused.statusCode(), entry.getValue());
    }
    assertThat(
            JSON.readTree(send("GET", "/events/" + id + "/access-codes", null).body())
                .get("total")
                .asInt())
        .isEqualTo(2);

    List<SpecificRecord> facts = factsOf(id, 5);
    assertThat(facts)
        .extracting(fact -> fact.getClass().getSimpleName())
        .containsExactly(
            "EventScheduled",
            "OfferPublished",
            "OfferPublished",
            "AccessCodeCreated",
            "AccessCodeCreated");
    assertThat(((OfferPublished) facts.get(2)).getHidden()).isTrue();
    AccessCodeCreated published = (AccessCodeCreated) facts.get(3);
    assertThat(published.getCodeId()).isEqualTo(code.get("id").asString());
    assertThat(published.getCodeDigest()).isEqualTo(AccessCodes.digest(id, "Backstage-2031"));
    assertThat(published.toString()).doesNotContainIgnoringCase("backstage-2031");
    assertThat(published.getOfferIds()).containsExactly(hidden);
    assertThat(published.getUses()).isEqualTo(100);
    assertThat(published.getPresale()).isTrue();
    assertThat(published.getDiscountBasisPoints()).isEqualTo(1_250);
    assertThat(published.getValidUntil()).isEqualTo(Instant.parse("2031-06-21T18:00:00Z"));
  }

  @Test
  void an_organizer_imports_a_seat_layout_revises_it_and_reads_each_version_back()
      throws Exception {
    String hall =
        "{\"name\":\"Salle Pleyel\",\"sections\":[{\"label\":\"Orchestre\","
            + "\"focal\":{\"x\":50,\"y\":0},\"rows\":["
            + "{\"label\":\"A\",\"seats\":[{\"label\":\"1\",\"x\":40,\"y\":5,\"category\":\"gold\","
            + "\"accessible\":true},{\"label\":\"2\",\"x\":41,\"y\":5,\"category\":\"gold\","
            + "\"unsold\":true}]},"
            + "{\"label\":\"B\",\"numbered\":{\"from\":1,\"to\":29,\"step\":2,\"x\":40,\"y\":6,"
            + "\"dx\":1.2},\"category\":\"silver\",\"accessible\":[\"1\"],\"unsold\":[\"15\"]}]}]}";
    HttpResponse<String> created = send("POST", "/seat-layouts", hall);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode first = JSON.readTree(created.body());
    String id = first.get("id").asString();
    assertThat(created.headers().firstValue("Location")).hasValue("/seat-layouts/" + id);
    assertThat(first.get("version").asInt()).isEqualTo(1);
    // 2 seats listed (one never sold), 15 numbered 1, 3... 29 (15 never sold).
    assertThat(first.get("seats").asInt()).isEqualTo(17);
    assertThat(first.get("sellable").asInt()).isEqualTo(15);
    assertThat(first.get("accessible").asInt()).isEqualTo(2);
    assertThat(first.get("categories").toString()).isEqualTo("{\"gold\":1,\"silver\":14}");

    HttpResponse<String> revised =
        send("PUT", "/seat-layouts/" + id, hall.replace("\"to\":29", "\"to\":39"));
    assertThat(revised.statusCode()).as(revised.body()).isEqualTo(200);
    assertThat(JSON.readTree(revised.body()).get("version").asInt()).isEqualTo(2);
    JsonNode latest = JSON.readTree(send("GET", "/seat-layouts/" + id, null).body());
    assertThat(latest.get("version").asInt()).isEqualTo(2);
    assertThat(latest.get("sellable").asInt()).isEqualTo(20);
    assertThat(latest.at("/document/sections/0/rows/1/numbered/to").asInt()).isEqualTo(39);
    JsonNode earlier =
        JSON.readTree(send("GET", "/seat-layouts/" + id + "/versions/1", null).body());
    assertThat(earlier.at("/document/sections/0/rows/1/numbered/to").asInt()).isEqualTo(29);
    assertThat(earlier.at("/document/sections/0/rows/0/seats/1/unsold").asBoolean()).isTrue();
    assertProblem(send("GET", "/seat-layouts/" + id + "/versions/3", null), 404, null);
    JsonNode mine = JSON.readTree(send("GET", "/seat-layouts", null).body());
    assertThat(mine.get("total").asLong()).isEqualTo(1);
    assertThat(mine.at("/items/0/id").asString()).isEqualTo(id);

    // Another organizer, a buyer, nobody.
    String other = TestTokens.get().token("org-" + UUID.randomUUID(), Role.ORGANIZER);
    assertProblem(sendAs(other, "GET", "/seat-layouts/" + id, null), 403, null);
    assertProblem(sendAs(other, "PUT", "/seat-layouts/" + id, hall), 403, null);
    String buyer = TestTokens.get().token("buyer-" + UUID.randomUUID(), Role.CUSTOMER);
    assertProblem(sendAs(buyer, "POST", "/seat-layouts", hall), 403, null);
    assertThat(sendAs(null, "GET", "/seat-layouts/" + id, null).statusCode()).isEqualTo(401);

    // Broken rules name the field, and the section, row and seat.
    HttpResponse<String> twice =
        send("POST", "/seat-layouts", hall.replace("{\"label\":\"2\",", "{\"label\":\"1\","));
    assertProblem(twice, 422, "sections[0].rows[0].seats[1].label");
    assertThat(twice.body()).contains("seat 1 appears twice in row A of section Orchestre");
    assertProblem(
        send("POST", "/seat-layouts", hall.replace("\"unsold\":[\"15\"]", "\"unsold\":[\"16\"]")),
        422,
        "sections[0].rows[1].unsold[0]");
    assertProblem(
        send("POST", "/seat-layouts", hall.replace("\"to\":29", "\"to\":30")),
        422,
        "sections[0].rows[1].numbered.to");
    // Row B drawn over row A: the numbering is named.
    assertProblem(
        send("POST", "/seat-layouts", hall.replace("\"y\":6", "\"y\":5")),
        422,
        "sections[0].rows[1].numbered");
    assertProblem(
        send("POST", "/seat-layouts", hall.replace(",\"category\":\"silver\"", "")),
        422,
        "sections[0].rows[1].category");
    assertProblem(
        send("POST", "/seat-layouts", hall.replace("\"label\":\"B\"", "\"label\":\"<b>\"")),
        400,
        "sections[0].rows[1].label");
    assertProblem(
        send("PUT", "/seat-layouts/" + id, hall.replace("\"label\":\"B\"", "\"label\":\"A\"")),
        422,
        "sections[0].rows[1].label");
    assertProblem(send("GET", "/seat-layouts/" + id + "/versions/x", null), 400, null);
    // Nothing of that was stored.
    assertThat(
            JSON.readTree(send("GET", "/seat-layouts/" + id, null).body()).get("version").asInt())
        .isEqualTo(2);

    // A stadium: 60,000 seats in 2,000 numbered rows of 30 fit in one document.
    String stadium = stadium();
    HttpResponse<String> big = send("POST", "/seat-layouts", stadium);
    assertThat(big.statusCode()).as(big.body()).isEqualTo(201);
    assertThat(JSON.readTree(big.body()).get("sellable").asInt()).isEqualTo(60_000);
    assertThat(JSON.readTree(big.body()).get("categories").toString())
        .isEqualTo("{\"premium\":12000,\"standard\":48000}");
    System.out.printf("a 60,000-seat stadium's document: %,d bytes%n", stadium.length());
  }

  /** 60,000 seats: 4 stands of 500 numbered rows of 30, the first 100 rows premium. */
  private static String stadium() {
    StringBuilder stadium = new StringBuilder("{\"name\":\"Stade\",\"sections\":[");
    for (int s = 0; s < 4; s++) {
      stadium.append(s == 0 ? "" : ",").append("{\"label\":\"Tribune ").append(s);
      stadium.append("\",\"focal\":{\"x\":0,\"y\":0},\"rows\":[");
      for (int r = 1; r <= 500; r++) {
        stadium.append(r == 1 ? "" : ",").append("{\"label\":\"").append(r);
        stadium.append("\",\"numbered\":{\"from\":1,\"to\":30,\"x\":0,\"y\":").append(r);
        stadium.append("},\"category\":\"").append(r <= 100 ? "premium" : "standard").append("\"}");
      }
      stadium.append("]}");
    }
    return stadium.append("]}").toString();
  }

  @Test
  void an_event_is_seated_on_a_layout_version_and_each_seat_category_needs_its_offer()
      throws Exception {
    String hall =
        "{\"name\":\"Salle Pleyel\",\"sections\":[{\"label\":\"Orchestre\","
            + "\"focal\":{\"x\":0,\"y\":0},\"rows\":["
            + "{\"label\":\"A\",\"numbered\":{\"from\":1,\"to\":10,\"x\":-4.5,\"y\":3},"
            + "\"category\":\"gold\",\"unsold\":[\"5\"]},"
            + "{\"label\":\"B\",\"numbered\":{\"from\":1,\"to\":12,\"x\":-5.5,\"y\":4},"
            + "\"category\":\"silver\"}]}]}";
    HttpResponse<String> imported = send("POST", "/seat-layouts", hall);
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    String layout = JSON.readTree(imported.body()).get("id").asString();
    String id =
        JSON.readTree(send("POST", "/events", event(organizer, 2_000)).body()).get("id").asString();
    String gold =
        JSON.readTree(
                send(
                        "POST",
                        "/events/" + id + "/offers",
                        offer("Gold", 1, 50).replace("floor", "gold"))
                    .body())
            .at("/offers/0/id")
            .asString();
    assertThat(send("POST", "/events/" + id + "/offers", offer("Standing", 1, 300)).statusCode())
        .isEqualTo(201);
    String seating = "{\"layout\":\"" + layout + "\",\"version\":1}";

    // Silver seats have no offer yet.
    HttpResponse<String> unsold = send("PUT", "/events/" + id + "/seating", seating);
    assertProblem(unsold, 422, "layout");
    assertThat(unsold.body()).contains("seat category silver has no offer");
    String silver =
        JSON.readTree(
                send(
                        "POST",
                        "/events/" + id + "/offers",
                        offer("Silver", 1, 10).replace("floor", "silver"))
                    .body())
            .at("/offers/2/id")
            .asString();
    HttpResponse<String> seated = send("PUT", "/events/" + id + "/seating", seating);
    assertThat(seated.statusCode()).as(seated.body()).isEqualTo(200);
    JsonNode view = JSON.readTree(seated.body());
    assertThat(view.at("/seating/layoutId").asString()).isEqualTo(layout);
    assertThat(view.at("/seating/offers/gold").asString()).isEqualTo(gold);
    assertThat(view.at("/seating/offers/silver").asString()).isEqualTo(silver);
    // The seated offers sell their category's seats; the standing offer is as it was.
    assertThat(view.at("/offers/0/seatsOnSale").asInt()).isEqualTo(9);
    assertThat(view.at("/offers/1/seatsOnSale").asInt()).isEqualTo(300);
    assertThat(view.at("/offers/2/seatsOnSale").asInt()).isEqualTo(12);

    List<SpecificRecord> facts = factsOf(id, 7);
    assertThat(facts.subList(4, 7))
        .extracting(fact -> fact.getClass().getSimpleName())
        .containsExactly("SeatingAssigned", "OfferPublished", "OfferPublished");
    io.guichet.events.catalog.SeatingAssigned assigned =
        (io.guichet.events.catalog.SeatingAssigned) facts.get(4);
    assertThat(assigned.getLayoutVersion()).isEqualTo(1);
    assertThat(assigned.getRows()).hasSize(2);
    io.guichet.events.catalog.SeatRow rowA = assigned.getRows().get(0);
    assertThat(rowA.getSeats()).hasSize(10).startsWith("1", "2");
    assertThat(rowA.getCategories()).containsExactly("gold");
    assertThat(rowA.getUnsold()).containsExactly(4);
    // Seat A-5 (x -0.5, y 3) is closer to the stage than A-1 (x -4.5, y 3).
    assertThat(rowA.getDistances().get(4)).isLessThan(rowA.getDistances().get(0));
    assertThat(((OfferPublished) facts.get(5)).getSeatsOnSale()).isEqualTo(9);
    // Anyone may draw the event's seat map: every seat where it stands, and each category's offer.
    HttpResponse<String> map = sendAs(null, "GET", "/events/" + id + "/seat-map", "");
    assertThat(map.statusCode()).as(map.body()).isEqualTo(200);
    JsonNode drawn = JSON.readTree(map.body());
    assertThat(drawn.at("/offers/silver").asString()).isEqualTo(silver);
    assertThat(drawn.at("/sections/0/rows/0/seats")).hasSize(10);
    assertThat(drawn.at("/sections/0/rows/0/seats/4/label").asString()).isEqualTo("5");
    assertThat(drawn.at("/sections/0/rows/0/seats/4/x").asDouble()).isEqualTo(-0.5);
    assertThat(drawn.at("/sections/0/rows/0/seats/4/sellable").asBoolean()).isFalse();
    assertThat(drawn.at("/sections/0/rows/1/seats/0/category").asString()).isEqualTo("silver");
    assertProblem(
        sendAs(
            null,
            "GET",
            "/events/"
                + JSON.readTree(send("POST", "/events", event(organizer, 10)).body())
                    .get("id")
                    .asString()
                + "/seat-map",
            ""),
        404,
        null);

    // Another organizer's layout, a version that does not exist, and after sales opened.
    String other = TestTokens.get().token("org-" + UUID.randomUUID(), Role.ORGANIZER);
    String theirs =
        JSON.readTree(sendAs(other, "POST", "/seat-layouts", hall).body()).get("id").asString();
    HttpResponse<String> notMine =
        send("PUT", "/events/" + id + "/seating", "{\"layout\":\"" + theirs + "\",\"version\":1}");
    assertProblem(notMine, 422, "layout");
    assertThat(notMine.body()).contains("another organizer");
    assertProblem(
        send("PUT", "/events/" + id + "/seating", seating.replace(":1}", ":2}")), 422, "layout");
    assertProblem(send("PUT", "/events/" + id + "/seating", "{\"version\":1}"), 400, "layout");
    assertThat(send("POST", "/events/" + id + "/sales/open", "").statusCode()).isEqualTo(200);
    assertProblem(send("PUT", "/events/" + id + "/seating", seating), 409, null);

    // A stadium's 60,000 seats travel in one fact (about 460 KB of Avro).
    String stade =
        JSON.readTree(send("POST", "/seat-layouts", stadium()).body()).get("id").asString();
    String match =
        JSON.readTree(send("POST", "/events", event(organizer, 100_000)).body())
            .get("id")
            .asString();
    for (String category : List.of("premium", "standard")) {
      assertThat(
              send(
                      "POST",
                      "/events/" + match + "/offers",
                      offer(category, 1, 10).replace("floor", category))
                  .statusCode())
          .isEqualTo(201);
    }
    HttpResponse<String> stadiumSeated =
        send(
            "PUT", "/events/" + match + "/seating", "{\"layout\":\"" + stade + "\",\"version\":1}");
    assertThat(stadiumSeated.statusCode()).as(stadiumSeated.body()).isEqualTo(200);
    io.guichet.events.catalog.SeatingAssigned stadiumFact =
        (io.guichet.events.catalog.SeatingAssigned) factsOf(match, 4).get(3);
    assertThat(stadiumFact.getRows()).hasSize(2_000);
    assertThat(stadiumFact.getRows().stream().mapToInt(row -> row.getSeats().size()).sum())
        .isEqualTo(60_000);
    assertProblem(sendAs(other, "PUT", "/events/" + id + "/seating", seating), 403, null);
  }

  private void assertProblem(HttpResponse<String> response, int status, String field)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    if (field != null) {
      assertThat(JSON.readTree(response.body()).get("errors").findValuesAsString("field"))
          .contains(field);
    }
  }

  private final List<SpecificRecord> seen = new ArrayList<>();

  /** The facts on catalog.events keyed by this event, once there are at least {@code count}. */
  private List<SpecificRecord> factsOf(String eventId, int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> keyed(eventId).size() >= count);
    return keyed(eventId);
  }

  private List<String> scheduledBy(String organizerId) {
    return seen.stream()
        .filter(fact -> fact instanceof EventScheduled)
        .map(fact -> (EventScheduled) fact)
        .filter(fact -> fact.getOrganizerId().equals(organizerId))
        .map(EventScheduled::getEventId)
        .toList();
  }

  private List<SpecificRecord> keyed(String eventId) {
    if (consumer == null) {
      consumer = INFRA.eventConsumer("catalog-api-it-" + UUID.randomUUID());
      consumer.subscribe(List.of(Topics.CATALOG_EVENTS.name()));
    }
    consumer.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
    return seen.stream()
        .filter(
            fact ->
                eventId.equals(
                    String.valueOf(fact.get(fact.getSchema().getField("eventId").pos()))))
        .toList();
  }

  private static String event(String organizer, int capacity) {
    return "{\"organizer\":\""
        + organizer
        + "\",\"title\":\"Launch night\",\"kind\":\"concert\","
        + "\"venue\":{\"name\":\"Olympia\",\"address\":\"28 bd des Capucines\",\"city\":\"Paris\","
        + "\"country\":\"FR\",\"capacity\":"
        + capacity
        + "},"
        + "\"startsAt\":\"2031-06-21T20:00\",\"endsAt\":\"2031-06-21T23:00\","
        + "\"timeZone\":\"Europe/Paris\"}";
  }

  private static String offer(String name, int seatsPerTicket, int seatsOnSale) {
    return "{\"name\":\""
        + name
        + "\",\"category\":\"floor\",\"priceMinor\":4500,"
        + "\"currency\":\"EUR\",\"seatsPerTicket\":"
        + seatsPerTicket
        + ",\"seatsOnSale\":"
        + seatsOnSale
        + ",\"maxTicketsPerOrder\":4,\"maxTicketsPerCustomer\":6}";
  }

  /** A request by this test's organizer. */
  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return sendAs(organizerToken, method, path, body);
  }

  /** A request with this access token (none when null). */
  private static HttpResponse<String> sendAs(String token, String method, String path, String body)
      throws Exception {
    return sendTo(base, token, method, path, body);
  }

  private static HttpResponse<String> sendTo(
      String base, String token, String method, String path, String body) throws Exception {
    return HTTP.send(
        ApiRequests.of(base + path, method, token, body).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
