package io.guichet.registry.adapter.out.kafka;

import io.guichet.platform.kafka.TopicReplay;
import io.guichet.registry.application.SchemaLog;
import io.guichet.registry.domain.SchemaLogRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.core.JacksonException;

/**
 * The schema log on a compacted, single-partition Kafka topic: one partition keeps every write in
 * order, compaction keeps each subject version and the last setting of each config forever.
 */
public final class KafkaSchemaLog implements SchemaLog, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);

  private final String bootstrapServers;
  private final TopicPartition partition;
  private final Duration timeout;
  private final DefaultKafkaProducerFactory<String, String> producers;
  private final KafkaTemplate<String, String> template;

  public KafkaSchemaLog(
      String bootstrapServers, String topic, short replicationFactor, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.partition = new TopicPartition(topic, 0);
    this.timeout = timeout;
    ensureTopic(replicationFactor);
    this.producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                "bootstrap.servers", bootstrapServers,
                "acks", "all",
                "enable.idempotence", "true",
                // One record at a time, each awaited before the next (the writer logs before it
                // applies): waiting for more to batch with would only delay each by the linger.
                "linger.ms", "0",
                "client.id", "schema-registry-writer"),
            new StringSerializer(),
            new StringSerializer());
    this.producers.setPhysicalCloseTimeout((int) timeout.toSeconds());
    this.template = new KafkaTemplate<>(producers);
  }

  /**
   * Reads the log from its beginning to where it ends now (a {@link TopicReplay}, stopped once
   * there), then applies what it read on the caller's thread, in order.
   */
  @Override
  public void replay(Consumer<SchemaLogRecord> apply) {
    Queue<ConsumerRecord<String, String>> read = new ConcurrentLinkedQueue<>();
    try (TopicReplay<String> replay =
        new TopicReplay<>(
                "schema-registry-log",
                Map.of("bootstrap.servers", bootstrapServers),
                new StringDeserializer(),
                List.of(partition),
                read::add)
            .start()) {
      if (!replay.awaitReady(timeout.multipliedBy(6))) {
        throw new IllegalStateException("schema log " + partition + " did not replay in time");
      }
    }
    int replayed = 0;
    for (ConsumerRecord<String, String> record : read) {
      try {
        SchemaLogCodec.decode(record.key(), record.value()).ifPresent(apply);
        replayed++;
      } catch (JacksonException unreadable) {
        LOG.warn(
            "skipping unreadable schema log record at offset {}: {}",
            record.offset(),
            unreadable.getMessage());
      }
    }
    LOG.info("schema registry recovered {} records from {}", replayed, partition.topic());
  }

  @Override
  public void append(SchemaLogRecord record) {
    try {
      template
          .send(
              new ProducerRecord<>(
                  partition.topic(), 0, SchemaLogCodec.key(record), SchemaLogCodec.value(record)))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the schema log", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write the schema log " + partition.topic(), e);
    }
  }

  private void ensureTopic(short replicationFactor) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      Set<String> names = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (names.contains(partition.topic())) {
        return;
      }
      NewTopic topic =
          new NewTopic(partition.topic(), 1, replicationFactor)
              .configs(Map.of("cleanup.policy", "compact"));
      admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create the schema log topic " + partition.topic(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the schema log topic", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer in " + timeout, e);
    }
  }

  @Override
  public void close() {
    producers.destroy();
  }
}
