package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.adapter.out.r2dbc.StatusProjectionStore;
import io.guichet.booking.adapter.out.r2dbc.StatusProjectionStore.Position;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects requests and outcomes into the reservation status table. Positions live in PostgreSQL
 * beside the rows (rule 3): on assignment the consumer seeks to the stored position, and Kafka's
 * committed offsets are not used.
 */
public final class StatusProjection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatusProjection.class);

  private final KafkaConsumer<String, SpecificRecord> consumer;
  private final StatusProjectionStore store;
  private final String name;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param groupId consumer group; also the name its positions are stored under
   */
  public StatusProjection(
      String bootstrapServers,
      String schemaRegistryUrl,
      String groupId,
      StatusProjectionStore store) {
    this.store = store;
    this.name = groupId;
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("group.id", groupId);
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("max.poll.records", "1000");
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    AvroDeserializer<SpecificRecord> values = new AvroDeserializer<>();
    values.configure(config, false);
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
    thread = new Thread(this::run, groupId + "-projection");
    thread.setDaemon(true);
  }

  public StatusProjection start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(Topics.RESERVATION_REQUESTS.name(), Topics.RESERVATIONS.name()),
          new SeekToStored());
      while (running) {
        try {
          ConsumerRecords<String, SpecificRecord> records = consumer.poll(Duration.ofMillis(500));
          if (!records.isEmpty()) {
            project(records);
          }
        } catch (RecordDeserializationException e) {
          // The allocator dead-letters unreadable requests; the projection steps over them.
          LOG.warn("unreadable record at {}@{}", e.topicPartition(), e.offset(), e);
          consumer.seek(e.topicPartition(), e.offset() + 1);
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          // Most likely the database is away: positions are re-read from it before going on.
          LOG.warn("status projection failed; retrying", e);
          pause();
          seekToStoredQuietly();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  private void pause() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void seekToStoredQuietly() {
    try {
      seekToStored(consumer.assignment());
    } catch (RuntimeException e) {
      LOG.debug("positions not readable yet", e);
    }
  }

  private void project(ConsumerRecords<String, SpecificRecord> records) {
    List<SpecificRecord> events = new ArrayList<>(records.count());
    Map<Position, Long> next = new HashMap<>();
    for (ConsumerRecord<String, SpecificRecord> record : records) {
      events.add(record.value());
      next.put(new Position(record.topic(), record.partition()), record.offset() + 1);
    }
    try {
      store.apply(name, events, next).block(Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      // Nothing of the batch committed: read it again from the stored positions.
      LOG.warn("projecting {} records failed; re-reading them", events.size(), e);
      seekToStored(consumer.assignment());
    }
  }

  private void seekToStored(Collection<TopicPartition> partitions) {
    Map<Position, Long> stored = store.positions(name).block(Duration.ofSeconds(60));
    for (TopicPartition partition : partitions) {
      Long next = stored.get(new Position(partition.topic(), partition.partition()));
      if (next == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, next);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class SeekToStored implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      seekToStored(partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
  }
}
