package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.booking.WaitingListUpdated;
import io.guichet.events.waitingroom.BuyersAdmitted;
import io.guichet.events.waitingroom.QueueOrderDrawn;
import io.guichet.identity.IdentityService;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.WaitingRoomFixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Waiting, on the standalone started as the README says, across a SIGKILL of the whole of it.
 *
 * <p>The waiting room as a buyer meets it: the page, in a real headless Chromium, joins, shows the
 * buyers ahead falling, and reserves with the pass once admitted; then, while thousands wait, the
 * standalone is killed and started again on the same data: every buyer keeps their place and
 * admission goes on from where it stopped, nobody admitted twice.
 *
 * <p>And a sold-out offer's waiting list (issue 19): 20 seats held, 50 fans on the list, the 20
 * holds expire and exactly the first 20 fans get offers; the kill lands while those offers are out;
 * after it, the offers paid are claimed, the offers declined go down the list to the next fans in
 * order, and no seat is ever held for two buyers. (The two share one standalone and one kill: each
 * start costs half a minute of the CI run.)
 */
class WaitingRoomStandaloneIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Buyers ahead of the page's buyer. */
  private static final int AHEAD = 30;

  /** Seats of the waiting-list event, held at first by as many buyers. */
  private static final int LIST_SEATS = 20;

  /** Fans on its waiting list. */
  private static final int FANS = 50;

  /** Of the first wave of offers, those paid; the others are declined. */
  private static final int PAID = 5;

  /** Holds end after 20 s here (10 minutes by default): the list's first offers come soon. */
  private static final String SHORT_HOLDS = "-Dguichet.booking.allocator.hold=PT20S";

  @TempDir Path data;

  @Test
  void a_buyer_queues_on_the_page_and_every_waiting_buyer_keeps_their_place_across_a_crash()
      throws Exception {
    String event;
    Map<String, Long> placesBefore;
    long admittedBefore;
    long postmasterBefore;
    WaitingList list;
    try (StandaloneProcess first = StandaloneProcess.start(data, SHORT_HOLDS)) {
      GuichetApi api = new GuichetApi(first.address("gateway"));
      String admin =
          api.loginWithSecondFactor(
              IdentityService.ADMIN_EMAIL, first.secrets().get("identity-admin-password"));
      String password = GuichetApi.password();
      String organizerEmail = "organizer-" + GuichetApi.unique() + "@room-it.example.org";
      api.grant(admin, api.register(organizerEmail, password), List.of("ORGANIZER"), List.of());
      String organizer = api.loginWithSecondFactor(organizerEmail, password);
      // The list's holds end while the room's scenario goes on.
      list = aSoldOutOfferGetsAWaitingList(first, api, organizer);
      String buyerEmail = "buyer-" + GuichetApi.unique() + "@room-it.example.org";
      api.register(buyerEmail, password);
      String buyer = api.login(buyerEmail, password);

      event = api.onSale(organizer, "Room night", 5000, 4);
      // The sale is open, two buyers a second are let through.
      String room =
          "{\"opensAt\":\""
              + Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1)
              + "\",\"admissionsPerMinute\":120}";
      HttpResponse<String>[] configured = new HttpResponse[1];
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                configured[0] = api.send("PUT", "/waiting-rooms/" + event, organizer, room);
                return configured[0].statusCode() == 202;
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.send("GET", "/waiting-rooms/" + event, buyer, null).statusCode() == 200);
      String reservation =
          "{\"event\":\""
              + event
              + "\",\"offer\":\""
              + api.firstOffer(event)
              + "\",\"quantity\":1}";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.send("POST", "/reservations", buyer, reservation).statusCode() == 403);

      // Thirty buyers are ahead of the page's buyer: fifteen seconds of queue at two a second,
      // enough for the browser to start and see it move.
      appendArrivals(first, event, "ahead", AHEAD);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> room(api, buyer, event).get("placed").asLong() >= AHEAD);
      theBuyerJoinsOnThePageSeesTheQueueMoveAndReserves(api, event, buyerEmail, password);

      // Thousands wait; admission is under way when the JVM is killed (kill -9).
      appendArrivals(first, event, "crowd", 3_000);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> room(api, buyer, event).get("placed").asLong() == AHEAD + 1 + 3_000);
      placesBefore = places(first, event);
      assertThat(placesBefore).hasSize(AHEAD + 1 + 3_000);
      admittedBefore = room(api, buyer, event).get("admittedThrough").asLong();
      // The list's first offers are out (the holds ended 20 s after they were made).
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> list.statuses(first).equals(list.expected(LIST_SEATS, 0, 0)));
      postmasterBefore = first.crash();
    }

    // Started again at once on the same data, with no hand on the keyboard: the PostgreSQL server
    // of the killed JVM is gone (it shuts itself down when its JVM dies, or the start stops it).
    try (StandaloneProcess second = StandaloneProcess.start(data, SHORT_HOLDS)) {
      assertThat(ProcessHandle.of(postmasterBefore).map(ProcessHandle::isAlive).orElse(false))
          .isFalse();
      assertThat(second.postmaster()).isNotEqualTo(postmasterBefore);
      GuichetApi api = new GuichetApi(second.address("gateway"));
      String password = GuichetApi.password();
      String email = "after-" + GuichetApi.unique() + "@room-it.example.org";
      api.register(email, password);
      String someone = api.login(email, password);
      // Every place is there as it was.
      assertThat(difference(places(second, event), placesBefore)).isEmpty();
      long[] admitted = {0};
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                admitted[0] = room(api, someone, event).get("admittedThrough").asLong();
                return admitted[0] >= admittedBefore + 4;
              });
      assertThat(difference(places(second, event), placesBefore)).isEmpty();
      theAdmissionsAreContiguousFromTheFirstPlace(second, event, admitted[0]);
      theListGoesOnInOrder(second, api, list);
    }
  }

  /**
   * A sold-out offer's waiting list: its fans in the order they joined, their entries, their
   * tokens.
   */
  private record WaitingList(String event, List<String> entries, List<String> tokens) {

    /** Each fan's last status on the list, in join order. */
    List<String> statuses(StandaloneProcess standalone) {
      Map<String, String> last = new HashMap<>();
      for (ConsumerRecord<String, SpecificRecord> record :
          standalone.committed(Topics.RESERVATIONS.name())) {
        if (record.value() instanceof WaitingListUpdated updated
            && updated.getEventId().equals(event)) {
          last.put(updated.getEntryId(), updated.getStatus().name());
        }
      }
      return entries.stream().map(entry -> last.getOrDefault(entry, "NONE")).toList();
    }

    /**
     * The statuses of a list whose first {@code claimed} fans paid their offer, the next {@code
     * lapsed} declined theirs, the next {@code offered} have one, and the rest wait.
     */
    List<String> expected(int offered, int claimed, int lapsed) {
      List<String> statuses = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        statuses.add(
            i < claimed
                ? "CLAIMED"
                : i < claimed + lapsed
                    ? "LAPSED"
                    : i < claimed + lapsed + offered ? "OFFERED" : "WAITING");
      }
      return statuses;
    }
  }

  /**
   * An event of 20 seats, each held by a buyer (for 20 s), then 50 fans join its offer's waiting
   * list one after the other: each is put on it, in that order.
   */
  private static WaitingList aSoldOutOfferGetsAWaitingList(
      StandaloneProcess standalone, GuichetApi api, String organizer) throws Exception {
    // Accounts are made at identity, requests go to booking: the gateway limits one address.
    GuichetApi identity = new GuichetApi(standalone.address("identity"));
    GuichetApi booking = new GuichetApi(standalone.address("booking"));
    String password = GuichetApi.password();
    List<String> holders = new ArrayList<>();
    List<String> fans = new ArrayList<>();
    for (int i = 0; i < LIST_SEATS + FANS; i++) {
      String email = "fan-" + GuichetApi.unique() + "@list-it.example.org";
      identity.register(email, password);
      (i < LIST_SEATS ? holders : fans).add(identity.login(email, password));
    }
    String event = api.onSale(organizer, "List night", LIST_SEATS, 4);
    String one =
        "{\"event\":\"" + event + "\",\"offer\":\"" + api.firstOffer(event) + "\",\"quantity\":1}";
    for (String holder : holders) {
      assertThat(accepted(booking, "/reservations", holder, one).statusCode()).isEqualTo(202);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                standalone.committed(Topics.RESERVATIONS.name()).stream()
                        .filter(
                            record ->
                                record.value() instanceof SeatsHeld held
                                    && held.getEventId().equals(event))
                        .count()
                    == LIST_SEATS);
    List<String> entries = new ArrayList<>();
    for (String fan : fans) {
      HttpResponse<String> joined = accepted(booking, "/waiting-lists", fan, one);
      assertThat(joined.statusCode()).as(joined.body()).isEqualTo(202);
      entries.add(JSON.readTree(joined.body()).get("entryId").asString());
    }
    WaitingList list = new WaitingList(event, entries, fans);
    await().atMost(Duration.ofSeconds(30)).until(() -> !list.statuses(standalone).contains("NONE"));
    // Nobody was refused; the first offers may already be out.
    assertThat(list.statuses(standalone)).doesNotContain("REFUSED", "LAPSED", "CLAIMED");
    return list;
  }

  /**
   * After the kill: the first {@value #PAID} fans pay their offers, the other first-wave fans
   * decline theirs; the seats they free are offered to the next fans on the list, in order, each
   * fan at most once, and never more seats held than the event has.
   */
  private static void theListGoesOnInOrder(
      StandaloneProcess standalone, GuichetApi api, WaitingList list) throws Exception {
    String payment = standalone.address("payment");
    GuichetApi booking = new GuichetApi(standalone.address("booking"));
    GuichetApi payments = new GuichetApi(payment);
    for (int i = 0; i < LIST_SEATS; i++) {
      String offer = list.entries().get(i) + "-offer";
      HttpResponse<String> answer =
          i < PAID
              ? accepted(
                  payments,
                  "/payments",
                  list.tokens().get(i),
                  "{\"reservation\":\""
                      + offer
                      + "\",\"amountMinor\":4500,\"currency\":\"EUR\","
                      + "\"paymentMethod\":\"4242424242424242\"}")
              : declined(booking, offer, list.tokens().get(i));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(i < PAID ? 201 : 202);
    }
    List<String> expected = list.expected(LIST_SEATS - PAID, PAID, LIST_SEATS - PAID);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> list.statuses(standalone).equals(expected));

    // Each fan's whole story on the list, and the holds: one offer per fan offered, each seat
    // held for one buyer at a time (every hold made minus every hold ended is what the event has).
    Map<String, List<String>> stories = new HashMap<>();
    Map<String, Integer> offers = new HashMap<>();
    int held = 0;
    for (ConsumerRecord<String, SpecificRecord> record :
        standalone.committed(Topics.RESERVATIONS.name())) {
      if (record.value() instanceof WaitingListUpdated updated
          && updated.getEventId().equals(list.event())) {
        stories
            .computeIfAbsent(updated.getEntryId(), entry -> new ArrayList<>())
            .add(updated.getStatus().name() + "#" + updated.getSequence());
      } else if (record.value() instanceof SeatsHeld hold
          && hold.getEventId().equals(list.event())) {
        held += hold.getSeats();
        if (hold.getWaitingListEntryId() != null) {
          offers.merge(hold.getWaitingListEntryId(), 1, Integer::sum);
        }
      } else if (record.value() instanceof HoldExpired ended
          && ended.getEventId().equals(list.event())) {
        held -= ended.getSeats();
      } else if (record.value() instanceof ReservationCancelled ended
          && ended.getEventId().equals(list.event())) {
        held -= ended.getSeats();
      }
    }
    assertThat(held).as("seats held or sold").isEqualTo(LIST_SEATS);
    for (int i = 0; i < FANS; i++) {
      String entry = list.entries().get(i);
      // Its place on the list is the order it joined in.
      String place = "#" + (i + 1);
      List<String> story = new ArrayList<>(List.of("WAITING" + place));
      if (i < 2 * LIST_SEATS - PAID) {
        story.add("OFFERED" + place);
        assertThat(offers.get(entry)).as("offers to fan %d", i).isEqualTo(1);
      } else {
        assertThat(offers).as("offers to fan %d", i).doesNotContainKey(entry);
      }
      if (i < LIST_SEATS) {
        story.add((i < PAID ? "CLAIMED" : "LAPSED") + place);
      }
      assertThat(stories.get(entry)).as("fan %d", i).isEqualTo(story);
    }
    // The fans' own views (query) say it too: the first of the second wave has seats offered, the
    // first still waiting is first in line.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> entryView(api, list, LIST_SEATS).path("status").asString("").equals("OFFERED"));
    int firstWaiting = 2 * LIST_SEATS - PAID;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> entryView(api, list, firstWaiting).path("place").asLong(0) == 1);
    assertThat(entryView(api, list, firstWaiting).path("status").asString()).isEqualTo("WAITING");
  }

  private static JsonNode entryView(GuichetApi api, WaitingList list, int fan) throws Exception {
    return JSON.readTree(
        api.send(
                "GET",
                "/views/waiting-lists/" + list.entries().get(fan),
                list.tokens().get(fan),
                null)
            .body());
  }

  /**
   * A command sent until the service answers something else than 503 (after a start, until it has
   * read what it needs).
   */
  private static HttpResponse<String> accepted(
      GuichetApi service, String path, String token, String body) throws Exception {
    return retried(() -> service.send("POST", path, token, body), 503);
  }

  /** A fan declines an offer: cancelled once booking knows the hold (404 until then). */
  private static HttpResponse<String> declined(GuichetApi booking, String offer, String token)
      throws Exception {
    return retried(() -> booking.send("DELETE", "/reservations/" + offer, token, null), 503, 404);
  }

  /** The first answer whose status is none of {@code notYet}, sent again for up to 30 s. */
  private static HttpResponse<String> retried(
      java.util.concurrent.Callable<HttpResponse<String>> request, Integer... notYet) {
    List<HttpResponse<String>> answers = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              answers.add(request.call());
              return !List.of(notYet).contains(answers.get(answers.size() - 1).statusCode());
            });
    return answers.get(answers.size() - 1);
  }

  private static void theBuyerJoinsOnThePageSeesTheQueueMoveAndReserves(
      GuichetApi api, String event, String email, String password) {
    WebDriver browser = HeadlessChromium.start();
    try {
      browser.get(api.base() + "/pages/waiting-room.html?event=" + event);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> browser.findElement(By.id("event-title")).getText().equals("Room night"));
      browser.findElement(By.id("email")).sendKeys(email);
      browser.findElement(By.id("password")).sendKeys(password);
      browser.findElement(By.id("login")).click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> browser.findElement(By.id("join")).isDisplayed());
      browser.findElement(By.id("join")).click();

      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> browser.findElement(By.id("state")).getText().equals("ADMITTED"));
      List<Long> ahead = new ArrayList<>();
      for (WebElement item : browser.findElements(By.cssSelector("#history li"))) {
        ahead.add(Long.parseLong(item.getText()));
      }
      assertThat(ahead)
          .hasSizeGreaterThanOrEqualTo(2)
          .isSortedAccordingTo((a, b) -> Long.compare(b, a));
      assertThat(ahead.get(0)).isGreaterThan(ahead.get(ahead.size() - 1));
      assertThat(browser.findElement(By.id("position")).getText())
          .isEqualTo(Integer.toString(AHEAD + 1));

      // The event's one offer is selected.
      assertThat(browser.findElement(By.id("offer")).getAttribute("value")).isNotEmpty();
      browser.findElement(By.id("reserve")).click();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> browser.findElement(By.id("reservation-status")).getText().equals("HELD"));
      assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
    } finally {
      browser.quit();
    }
  }

  private static JsonNode room(GuichetApi api, String token, String event) throws Exception {
    return JSON.readTree(api.send("GET", "/waiting-rooms/" + event, token, null).body());
  }

  /** Arrivals as the front door appends them, for buyers who only wait. */
  private static void appendArrivals(StandaloneProcess standalone, String event, String who, int n)
      throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", standalone.address("Kafka (KRaft)"));
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, standalone.address("Schema registry"));
    AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
    values.configure(config, false);
    List<String> customers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      customers.add(who + "-" + i);
    }
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(config, new StringSerializer(), values)) {
      WaitingRoomFixtures.append(producer, event, customers);
    }
  }

  /** The buyers whose place is not what it was, with both places (a readable failure). */
  private static Map<String, String> difference(Map<String, Long> now, Map<String, Long> before) {
    Map<String, String> changed = new java.util.TreeMap<>();
    for (String buyer : before.keySet()) {
      if (!before.get(buyer).equals(now.get(buyer))) {
        changed.put(buyer, before.get(buyer) + " -> " + now.get(buyer));
      }
    }
    for (String buyer : now.keySet()) {
      if (!before.containsKey(buyer)) {
        changed.put(buyer, "none -> " + now.get(buyer));
      }
    }
    return changed;
  }

  private static Map<String, Long> places(StandaloneProcess standalone, String event)
      throws Exception {
    Map<String, Long> places = new HashMap<>();
    try (Connection db = DriverManager.getConnection(standalone.jdbcUrl("booking"));
        PreparedStatement query =
            db.prepareStatement(
                "SELECT customer_id, position FROM queue_places WHERE event_id = ?")) {
      query.setString(1, event);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          places.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return places;
  }

  /** The room's decisions: one draw, then ranges from place 1 on, each after the last. */
  private static void theAdmissionsAreContiguousFromTheFirstPlace(
      StandaloneProcess standalone, String event, long through) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", standalone.address("Kafka (KRaft)"));
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, standalone.address("Schema registry"));
    config.put("group.id", "room-it-" + UUID.randomUUID());
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    AvroDeserializer<SpecificRecord> values = new AvroDeserializer<>();
    values.configure(config, false);
    List<SpecificRecord> facts = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(Topics.ADMISSIONS.name()));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, SpecificRecord> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (event.equals(record.key())) {
                    facts.add(record.value());
                  }
                }
                return facts.stream()
                    .anyMatch(
                        fact ->
                            fact instanceof BuyersAdmitted range
                                && range.getToPosition() >= through);
              });
    }
    assertThat(facts.stream().filter(fact -> fact instanceof QueueOrderDrawn)).hasSize(1);
    long next = 1;
    for (SpecificRecord fact : facts) {
      if (fact instanceof BuyersAdmitted range) {
        assertThat(range.getFromPosition()).isEqualTo(next);
        next = range.getToPosition() + 1;
      }
    }
    assertThat(next - 1).isGreaterThanOrEqualTo(through);
  }
}
