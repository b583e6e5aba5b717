package io.guichet.testsupport;

import io.guichet.infra.embedded.EmbeddedKafka;
import io.guichet.infra.embedded.EmbeddedPostgresServer;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.topics.TopicProvisioner;
import io.guichet.registry.SchemaRegistryApplication;
import io.guichet.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real KRaft broker, one real PostgreSQL and one schema registry for the whole test JVM,
 * started at first use with every declared topic created, and stopped when the JVM exits. Tests
 * share them and keep apart by their own ids, consumer groups and databases.
 */
public final class TestInfrastructure {

  private static volatile TestInfrastructure instance;

  private final Path dataDir;
  private final EmbeddedKafka kafka;
  private final EmbeddedPostgresServer postgres;
  private final ConfigurableApplicationContext registry;
  private final String registryUrl;

  private TestInfrastructure() {
    try {
      dataDir = Files.createTempDirectory("guichet-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
    registry =
        SchemaRegistryApplication.application()
            .run(
                "--server.port=0",
                "--guichet.registry.bootstrap-servers=" + kafka.bootstrapServers());
    registryUrl =
        "http://127.0.0.1:" + ((WebServerApplicationContext) registry).getWebServer().getPort();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      new TopicProvisioner(admin, (short) 1).provision(Topics.ALL);
    }
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
    return kafka.bootstrapServers();
  }

  public String schemaRegistryUrl() {
    return registryUrl;
  }

  public EmbeddedPostgresServer postgres() {
    return postgres;
  }

  public SchemaRegistryClient registryClient() {
    return new HttpSchemaRegistryClient(registryUrl);
  }

  public Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
  }

  /** A producer of Avro events in the Confluent wire format, keyed by string ids. */
  public <T extends SpecificRecord> KafkaProducer<String, T> eventProducer() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("acks", "all");
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
    AvroSerializer<T> serializer = new AvroSerializer<>();
    serializer.configure(config, false);
    return new KafkaProducer<>(config, new StringSerializer(), serializer);
  }

  /** A consumer of Avro events in its own group, reading from the earliest offset. */
  public <T> KafkaConsumer<String, T> eventConsumer(String groupId) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("group.id", groupId);
    config.put("auto.offset.reset", "earliest");
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
    AvroDeserializer<T> deserializer = new AvroDeserializer<>();
    deserializer.configure(config, false);
    return new KafkaConsumer<>(config, new StringDeserializer(), deserializer);
  }

  private void stop() {
    registry.close();
    kafka.close();
    postgres.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A temporary directory left behind is not worth failing a finished test run for.
    }
  }
}
