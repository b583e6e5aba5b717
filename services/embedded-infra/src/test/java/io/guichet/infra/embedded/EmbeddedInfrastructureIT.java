package io.guichet.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded servers are real and keep their data across a restart on the same directory. */
class EmbeddedInfrastructureIT {

  @TempDir Path data;

  @Test
  void a_restarted_broker_keeps_its_topics_and_records() throws Exception {
    Path logDir = data.resolve("kafka");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("kept.records", 1, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> producer = producer(kafka)) {
        producer.send(new ProducerRecord<>("kept.records", "k", "first run")).get();
      }
    }

    try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        assertThat(admin.listTopics().names().get()).contains("kept.records");
      }
      assertThat(readAll(kafka, "kept.records")).containsExactly("first run");
    }
  }

  @Test
  void a_restarted_postgres_keeps_its_databases_and_rows() throws Exception {
    Path dataDir = data.resolve("postgres");
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, 0)) {
      postgres.createDatabase("kept");
      try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("kept"));
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE note (text varchar(40))");
        statement.execute("INSERT INTO note VALUES ('first run')");
      }
    }

    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, 0);
        Connection connection = DriverManager.getConnection(postgres.jdbcUrl("kept"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT text FROM note")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("first run");
      assertThat(postgres.r2dbcUrl("kept")).startsWith("r2dbc:postgresql://postgres@127.0.0.1:");
    }
  }

  private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  private static List<String> readAll(EmbeddedKafka kafka, String topic) {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers(),
            "group.id",
            "reader-" + System.nanoTime(),
            "auto.offset.reset",
            "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
