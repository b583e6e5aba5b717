package io.guichet.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
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
  void a_broker_asked_to_flush_every_record_does_so_before_acknowledging_it() throws Exception {
    try (EmbeddedKafka flushing = EmbeddedKafka.start(data.resolve("flushing"), 0, true);
        EmbeddedKafka usual = EmbeddedKafka.start(data.resolve("usual"), 0);
        Admin flushingAdmin =
            Admin.create(Map.of("bootstrap.servers", flushing.bootstrapServers()));
        Admin usualAdmin = Admin.create(Map.of("bootstrap.servers", usual.bootstrapServers()))) {
      assertThat(flushInterval(flushingAdmin)).isEqualTo("1");
      assertThat(flushInterval(usualAdmin)).isEqualTo(Long.toString(Long.MAX_VALUE));
    }
  }

  private static String flushInterval(Admin admin) throws Exception {
    org.apache.kafka.common.config.ConfigResource broker =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1");
    return admin
        .describeConfigs(List.of(broker))
        .all()
        .get()
        .get(broker)
        .get("log.flush.interval.messages")
        .value();
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

  @Test
  void a_durable_postgres_flushes_what_it_commits_and_the_tests_one_does_not() throws Exception {
    try (EmbeddedPostgresServer durable = EmbeddedPostgresServer.start(data.resolve("d"), 0, true);
        EmbeddedPostgresServer fast = EmbeddedPostgresServer.start(data.resolve("f"), 0, false)) {
      assertThat(settings(durable)).containsExactly("on", "on");
      assertThat(settings(fast)).containsExactly("off", "off");
    }
  }

  /** fsync and synchronous_commit, as the server runs them. */
  private static List<String> settings(EmbeddedPostgresServer postgres) throws Exception {
    List<String> values = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
        Statement statement = connection.createStatement()) {
      for (String setting : List.of("fsync", "synchronous_commit")) {
        try (ResultSet row = statement.executeQuery("SHOW " + setting)) {
          row.next();
          values.add(row.getString(1));
        }
      }
    }
    return values;
  }

  @Test
  void postgres_goes_away_when_the_jvm_that_started_it_is_killed() throws Exception {
    Path dataDir = data.resolve("killed");
    long postmaster;
    try (PostgresInAnotherJvm run = PostgresInAnotherJvm.start(dataDir)) {
      postmaster = EmbeddedPostgresServer.postmasterPid(dataDir).orElseThrow();
      run.kill();
    }
    // Its watcher asks it to shut down (it polls every second).
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ProcessHandle.of(postmaster).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void a_postgres_left_running_by_a_run_that_died_is_stopped_by_the_next_start() throws Exception {
    Path dataDir = data.resolve("left-over");
    long postmaster;
    try (PostgresInAnotherJvm run = PostgresInAnotherJvm.start(dataDir)) {
      postmaster = EmbeddedPostgresServer.postmasterPid(dataDir).orElseThrow();
      // Its watcher dies first (as when the whole process group is killed), then the JVM.
      for (ProcessHandle child : run.children()) {
        if (child.pid() != postmaster) {
          child.destroyForcibly();
          child.onExit().join();
        }
      }
      run.kill();
    }
    assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);

    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, 0);
        Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"))) {
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(EmbeddedPostgresServer.postmasterPid(dataDir))
          .hasValueSatisfying(pid -> assertThat(pid).isNotEqualTo(postmaster));
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  @Test
  void a_postgres_whose_run_is_alive_is_not_touched() throws Exception {
    Path dataDir = data.resolve("in-use");
    Process otherRun = new ProcessBuilder("sleep", "120").start();
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, 0)) {
      Files.writeString(dataDir.resolve(EmbeddedPostgresServer.OWNER_FILE), otherRun.pid() + "\n");
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another running process (" + otherRun.pid() + ")");
      try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"))) {
        assertThat(connection.isValid(5)).isTrue();
      }
    } finally {
      otherRun.destroyForcibly();
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
