package io.guichet.testsupport;

import io.guichet.infra.embedded.PostgresDatabases;
import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.stack.EmbeddedStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The stack the standalone mode runs ({@link EmbeddedStack}: one real KRaft broker, one real
 * PostgreSQL, one schema registry, every declared topic and schema) started once for the whole test
 * JVM and stopped when it exits; with {@code -D}{@value #BACKEND}{@code =docker} (the {@code
 * -Pdocker} profile), the broker and PostgreSQL are the official images in containers instead.
 * Tests share it and keep apart by their own ids, consumer groups and databases.
 */
public final class TestInfrastructure {

  /**
   * The system property that chooses what the tests run on: the embedded servers (default), or
   * {@value #DOCKER}: the official images through Testcontainers (the {@code -Pdocker} profile).
   */
  public static final String BACKEND = "guichet.test.infrastructure";

  public static final String DOCKER = "docker";

  private static volatile TestInfrastructure instance;

  private final Path dataDir;
  private final EmbeddedStack stack;

  private TestInfrastructure() {
    try {
      dataDir = Files.createTempDirectory("guichet-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stack =
        DOCKER.equals(System.getProperty(BACKEND))
            ? DockerInfrastructure.start()
            : EmbeddedStack.start(dataDir, 0, 0, 0);
  }

  /** The shared infrastructure, started on first call. */
  public static TestInfrastructure get() {
    TestInfrastructure local = instance;
    if (local == null) {
      synchronized (TestInfrastructure.class) {
        local = instance;
        if (local == null) {
          local = new TestInfrastructure();
          Runtime.getRuntime().addShutdownHook(new Thread(local::stop, "test-infrastructure-stop"));
          instance = local;
        }
      }
    }
    return local;
  }

  public String kafkaBootstrapServers() {
    return stack.kafkaBootstrapServers();
  }

  public String schemaRegistryUrl() {
    return stack.schemaRegistryUrl();
  }

  public PostgresDatabases postgres() {
    return stack.databases();
  }

  public SchemaRegistryClient registryClient() {
    return stack.registryClient();
  }

  public Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", kafkaBootstrapServers()));
  }

  /** A producer of Avro events in the Confluent wire format, keyed by string ids. */
  public <T extends SpecificRecord> KafkaProducer<String, T> eventProducer() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafkaBootstrapServers());
    config.put("acks", "all");
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
    AvroSerializer<T> serializer = new AvroSerializer<>();
    serializer.configure(config, false);
    return new KafkaProducer<>(config, new StringSerializer(), serializer);
  }

  /**
   * A consumer of Avro events in its own group, reading from the earliest offset and only what was
   * committed (an exactly-once producer's aborted records never count).
   */
  public <T> KafkaConsumer<String, T> eventConsumer(String groupId) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafkaBootstrapServers());
    config.put("group.id", groupId);
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", "false");
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
    AvroDeserializer<T> deserializer = new AvroDeserializer<>();
    deserializer.configure(config, false);
    return new KafkaConsumer<>(config, new StringDeserializer(), deserializer);
  }

  /**
   * Reads a topic from its start, in a group of its own, keeping the records {@code keep} accepts,
   * until {@code done} holds for the records kept (awaited, up to 60 seconds).
   */
  public List<ConsumerRecord<String, SpecificRecord>> readUntil(
      String topic,
      Predicate<ConsumerRecord<String, SpecificRecord>> keep,
      Predicate<List<ConsumerRecord<String, SpecificRecord>>> done) {
    List<ConsumerRecord<String, SpecificRecord>> kept = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer =
        eventConsumer("read-until-" + UUID.randomUUID())) {
      consumer.subscribe(List.of(topic));
      pollKeeping(consumer, keep, kept, () -> done.test(kept));
    }
    return kept;
  }

  /** Polls, keeping the records {@code keep} accepts, until {@code finished} (up to 60 s). */
  private static void pollKeeping(
      KafkaConsumer<String, SpecificRecord> consumer,
      Predicate<ConsumerRecord<String, SpecificRecord>> keep,
      List<ConsumerRecord<String, SpecificRecord>> kept,
      java.util.concurrent.Callable<Boolean> finished) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (ConsumerRecord<String, SpecificRecord> record :
                  consumer.poll(Duration.ofMillis(200))) {
                if (keep.test(record)) {
                  kept.add(record);
                }
              }
              return finished.call();
            });
  }

  /**
   * Reads a whole topic, from its start to where each partition ends now, keeping the records
   * {@code keep} accepts: all of them, whichever partition a reader reaches first (a condition on
   * the records kept, as {@link #readUntil} takes, may hold before another partition is read).
   */
  public List<ConsumerRecord<String, SpecificRecord>> readToEnd(
      String topic, Predicate<ConsumerRecord<String, SpecificRecord>> keep) {
    List<ConsumerRecord<String, SpecificRecord>> kept = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer =
        eventConsumer("read-to-end-" + UUID.randomUUID())) {
      List<org.apache.kafka.common.TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions);
      pollKeeping(
          consumer,
          keep,
          kept,
          () ->
              partitions.stream()
                  .allMatch(partition -> consumer.position(partition) >= ends.get(partition)));
    }
    return kept;
  }

  /**
   * As {@link #readUntil}, for a topic of plain strings (a service's own retry or dead-letter
   * topic, say).
   */
  public List<ConsumerRecord<String, String>> readTextUntil(
      String topic,
      Predicate<ConsumerRecord<String, String>> keep,
      Predicate<List<ConsumerRecord<String, String>>> done) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafkaBootstrapServers());
    config.put("group.id", "read-text-until-" + UUID.randomUUID());
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    List<ConsumerRecord<String, String>> kept = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (keep.test(record)) {
                    kept.add(record);
                  }
                }
                return done.test(kept);
              });
    }
    return kept;
  }

  private void stop() {
    stack.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A temporary directory left behind is not worth failing a finished test run for.
    }
  }
}
