package io.guichet.notification.adapter.in.kafka;

import io.guichet.notification.adapter.out.kafka.KafkaRetryQueue;
import io.guichet.notification.application.EmailDelivery;
import io.guichet.platform.kafka.QuietConsumers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one retry topic: each record waits until it is due (its partition is paused until then,
 * so nothing is polled and nothing blocks the other partitions), then its email is tried again.
 * Offsets are committed after each record: a record handled twice finds its email no longer waiting
 * (sent, or moved on), so redelivery sends nothing twice.
 */
public final class RetryTopicConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetryTopicConsumer.class);
  private static final Duration BACK_OFF = Duration.ofSeconds(1);

  private final KafkaConsumer<String, String> consumer;
  private final int level;
  private final EmailDelivery delivery;
  private final Clock clock;
  private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public RetryTopicConsumer(
      String bootstrapServers, String groupPrefix, int level, EmailDelivery delivery, Clock clock) {
    this.level = level;
    this.delivery = delivery;
    this.clock = clock;
    Map<String, Object> config = QuietConsumers.quiet(new HashMap<>());
    config.put("bootstrap.servers", bootstrapServers);
    config.put("group.id", groupPrefix + "-retry-" + level);
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("max.poll.records", "100");
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    thread = new Thread(this::run, "notification-retry-" + level);
    thread.setDaemon(true);
  }

  public RetryTopicConsumer start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(KafkaRetryQueue.retryTopic(level)),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
              partitions.forEach(pausedUntil::remove);
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {}
          });
      while (running) {
        resumeDue();
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<String, String> record : records.records(partition)) {
            if (!handle(partition, record)) {
              break;
            }
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      QuietConsumers.close(consumer);
    }
  }

  private void resumeDue() {
    long now = clock.millis();
    var due =
        pausedUntil.entrySet().stream()
            .filter(e -> e.getValue() <= now)
            .map(Map.Entry::getKey)
            .toList();
    if (!due.isEmpty()) {
      consumer.resume(due);
      due.forEach(pausedUntil::remove);
    }
  }

  /** Handles the record, or pauses its partition until it is due; false when paused. */
  private boolean handle(TopicPartition partition, ConsumerRecord<String, String> record) {
    long due = due(record);
    if (due > clock.millis()) {
      waitUntil(partition, record.offset(), due);
      return false;
    }
    try {
      delivery.retry(record.value(), level);
    } catch (RuntimeException e) {
      LOG.warn("retry of email {} failed; trying again shortly", record.value(), e);
      waitUntil(partition, record.offset(), clock.millis() + BACK_OFF.toMillis());
      return false;
    }
    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
    return true;
  }

  private void waitUntil(TopicPartition partition, long offset, long until) {
    consumer.seek(partition, offset);
    consumer.pause(List.of(partition));
    pausedUntil.put(partition, until);
  }

  private static long due(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader(KafkaRetryQueue.DUE);
    if (header == null) {
      return 0;
    }
    try {
      return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      return 0;
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
}
