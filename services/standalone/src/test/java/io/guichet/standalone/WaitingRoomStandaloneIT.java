package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * The waiting room as a buyer meets it, on the standalone started as the README says: the page, in
 * a real headless Chromium, joins, shows the buyers ahead falling, and reserves with the pass once
 * admitted; then, while thousands wait, the standalone is killed with SIGKILL and started again on
 * the same data: every buyer keeps their place and admission goes on from where it stopped, nobody
 * admitted twice.
 */
class WaitingRoomStandaloneIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Buyers ahead of the page's buyer. */
  private static final int AHEAD = 30;

  @TempDir Path data;

  @Test
  void a_buyer_queues_on_the_page_and_every_waiting_buyer_keeps_their_place_across_a_crash()
      throws Exception {
    String event;
    Map<String, Long> placesBefore;
    long admittedBefore;
    long postmasterBefore;
    try (StandaloneProcess first = StandaloneProcess.start(data)) {
      GuichetApi api = new GuichetApi(first.address("gateway"));
      String admin =
          api.loginWithSecondFactor(
              IdentityService.ADMIN_EMAIL, first.secrets().get("identity-admin-password"));
      String password = GuichetApi.password();
      String organizerEmail = "organizer-" + GuichetApi.unique() + "@room-it.example.org";
      api.grant(admin, api.register(organizerEmail, password), List.of("ORGANIZER"), List.of());
      String organizer = api.loginWithSecondFactor(organizerEmail, password);
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
      postmasterBefore = first.crash();
    }

    // Started again at once on the same data, with no hand on the keyboard: the PostgreSQL server
    // of the killed JVM is gone (it shuts itself down when its JVM dies, or the start stops it).
    try (StandaloneProcess second = StandaloneProcess.start(data)) {
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
    }
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
