package io.guichet.notification.adapter.out.kafka;

import io.guichet.notification.application.RetryQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The emails' retry topics, one per delay ({@code notification.emails.retry-1}, ...), so that each
 * topic's records come due in the order they were written, and the dead-letter topic {@code
 * notification.emails.dlt}. A record is the email's id (its key and value); the headers say when it
 * is due, its attempt and why it failed.
 */
public final class KafkaRetryQueue implements RetryQueue, AutoCloseable {

  public static final String PREFIX = "notification.emails";
  public static final String DEAD_LETTERS = PREFIX + ".dlt";
  public static final String DUE = "guichet.retry.due";
  public static final String ATTEMPT = "guichet.retry.attempt";
  public static final String REASON = "guichet.dlt.reason";

  private final KafkaProducer<String, String> producer;
  private final List<Duration> delays;
  private final Clock clock;

  public KafkaRetryQueue(String bootstrapServers, List<Duration> delays, Clock clock) {
    this.delays = List.copyOf(delays);
    this.clock = clock;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", bootstrapServers,
                "acks", "all",
                "enable.idempotence", "true",
                "client.id", "notification-retries"),
            new StringSerializer(),
            new StringSerializer());
  }

  /** The retry topic of a level, from 1. */
  public static String retryTopic(int level) {
    return PREFIX + ".retry-" + level;
  }

  public List<Duration> delays() {
    return delays;
  }

  @Override
  public int levels() {
    return delays.size();
  }

  @Override
  public void retry(String emailId, int level, String reason) {
    long due = clock.millis() + delays.get(level - 1).toMillis();
    ProducerRecord<String, String> record =
        new ProducerRecord<>(retryTopic(level), emailId, emailId);
    record.headers().add(DUE, Long.toString(due).getBytes(StandardCharsets.UTF_8));
    record.headers().add(ATTEMPT, Integer.toString(level).getBytes(StandardCharsets.UTF_8));
    record.headers().add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    send(record);
  }

  @Override
  public void deadLetter(String emailId, String reason) {
    ProducerRecord<String, String> record = new ProducerRecord<>(DEAD_LETTERS, emailId, emailId);
    record.headers().add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    send(record);
  }

  private void send(ProducerRecord<String, String> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not write to " + record.topic(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
