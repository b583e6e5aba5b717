package io.guichet.registry.adapter.out.kafka;

import io.guichet.registry.application.SchemaLog;
import io.guichet.registry.domain.SchemaLogRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
  private final KafkaProducer<String, String> producer;

  public KafkaSchemaLog(
      String bootstrapServers, String topic, short replicationFactor, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.partition = new TopicPartition(topic, 0);
    this.timeout = timeout;
    ensureTopic(replicationFactor);
    this.producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", bootstrapServers,
                "acks", "all",
                "enable.idempotence", "true",
                "client.id", "schema-registry-writer"),
            new StringSerializer(),
            new StringSerializer());
  }

  @Override
  public void replay(Consumer<SchemaLogRecord> apply) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "enable.auto.commit",
                "false",
                "isolation.level",
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
      long deadline = System.nanoTime() + timeout.toNanos() * 6;
      int replayed = 0;
      while (consumer.position(partition, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "schema log " + partition + " did not replay to offset " + end + " in time");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
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
      }
      LOG.info("schema registry recovered {} records from {}", replayed, partition.topic());
    }
  }

  @Override
  public void append(SchemaLogRecord record) {
    try {
      producer
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
    producer.close(timeout);
  }
}
