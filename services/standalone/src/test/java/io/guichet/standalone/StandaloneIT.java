package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.CatalogFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/** The standalone mode, started twice on one data directory, as the README's run command does. */
class StandaloneIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path data;

  @Test
  void serves_every_subject_carries_events_and_keeps_everything_across_a_restart()
      throws Exception {
    StandaloneSettings settings = new StandaloneSettings(data, 0, 0, 0, 0);
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

      assertThat(first.summary()).contains("booking", "/actuator/health");
      assertThat(allocates(first)).isInstanceOf(SeatsHeld.class);

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
      assertThat(subjectIds(second.schemaRegistryUrl())).isEqualTo(idsBefore);
      assertThat(readBack(second, held.getId())).isEqualTo(held);
      try (Connection connection = DriverManager.getConnection(second.postgres().jdbcUrl("kept"));
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT id FROM kept_row")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo(held.getId());
      }
    }
  }

  /** Puts an offer on sale and asks for a seat: the standalone's allocator must answer. */
  private static Object allocates(Standalone standalone) throws Exception {
    String event = "e-" + UUID.randomUUID();
    String reservation = "r-" + UUID.randomUUID();
    try (KafkaProducer<String, SpecificRecord> producer = producer(standalone)) {
      for (SpecificRecord fact : CatalogFixtures.onSale(event, "solo", 1, 10, 2, 2)) {
        producer.send(new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), event, fact));
      }
      ReservationRequested request = CatalogFixtures.request(event, reservation, "solo", "c", 1);
      producer.send(new ProducerRecord<>(Topics.RESERVATION_REQUESTS.name(), event, request)).get();
    }
    return firstDecoded(
        standalone, Topics.RESERVATIONS.name(), (key, value) -> reservation.equals(key));
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
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
    deserializer.configure(
        Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, standalone.schemaRegistryUrl()), false);
    List<Object> found = new ArrayList<>();
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
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  Object value = deserializer.deserialize(record.topic(), record.value());
                  if (match.test(record.key(), value)) {
                    found.add(value);
                  }
                }
                return !found.isEmpty();
              });
    }
    return found.get(0);
  }

  private static Map<String, Integer> subjectIds(String registryUrl) throws Exception {
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (JsonNode subject : get(registryUrl + "/subjects")) {
      ids.put(
          subject.asText(),
          get(registryUrl + "/subjects/" + subject.asText() + "/versions/latest")
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
