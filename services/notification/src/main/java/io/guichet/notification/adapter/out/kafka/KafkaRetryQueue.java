package io.guichet.notification.adapter.out.kafka;

import io.guichet.notification.application.RetryQueue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;

/**
 * The emails' retry topics: {@value #TOPIC} takes an email whose first attempt failed, due after
 * the first delay (spring-kafka's backoff header, which its listener honours on every topic of the
 * chain); spring-kafka's non-blocking retries then move it to {@code notification.emails.retry-0},
 * {@code -1}..., one per further delay, and to the dead-letter topic {@value #DEAD_LETTERS}. A
 * record is the email's id (its key and value); the {@value #REASON} header says why it failed.
 */
public final class KafkaRetryQueue implements RetryQueue {

  public static final String TOPIC = "notification.emails";
  public static final String RETRY_SUFFIX = ".retry";
  public static final String DLT_SUFFIX = ".dlt";
  public static final String DEAD_LETTERS = TOPIC + DLT_SUFFIX;
  public static final String REASON = "guichet.dlt.reason";

  private final KafkaTemplate<String, String> template;
  private final Duration firstDelay;
  private final Clock clock;

  public KafkaRetryQueue(KafkaTemplate<String, String> template, Duration firstDelay, Clock clock) {
    this.template = template;
    this.firstDelay = firstDelay;
    this.clock = clock;
  }

  /** The retry topic after {@code index} + 1 failed retries (from 0), as spring-kafka names it. */
  public static String retryTopic(int index) {
    return TOPIC + RETRY_SUFFIX + "-" + index;
  }

  @Override
  public void retry(String emailId, String reason) {
    ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, emailId, emailId);
    long due = clock.millis() + firstDelay.toMillis();
    record
        .headers()
        .add(
            RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP,
            BigInteger.valueOf(due).toByteArray());
    record.headers().add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    send(template, record);
  }

  @Override
  public void deadLetter(String emailId, String reason) {
    ProducerRecord<String, String> record = new ProducerRecord<>(DEAD_LETTERS, emailId, emailId);
    record.headers().add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    send(template, record);
  }

  /** Sends the record and waits for the broker's acknowledgement (30 s at most). */
  static void send(KafkaTemplate<String, String> template, ProducerRecord<String, String> record) {
    try {
      template.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not write to " + record.topic(), e);
    }
  }
}
