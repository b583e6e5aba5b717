package io.guichet.notification.adapter.in.kafka;

import io.guichet.notification.adapter.out.kafka.KafkaRetryQueue;
import io.guichet.notification.application.EmailDelivery;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The emails' retry topics and dead-letter topic, on spring-kafka's non-blocking retries (see
 * {@code EmailRetryConfiguration}): each record waits on its topic until it is due (its partition
 * paused, nothing blocked), then its email is tried again; a failure moves it to the next topic or
 * the dead-letter topic, where {@link #dead} records the email as dead. A record handled twice
 * finds its email no longer waiting (sent, or moved on), so redelivery sends nothing twice.
 */
public final class EmailRetries {

  /** The listener's id; its retry topics' containers are named after it. */
  public static final String LISTENER = "notification-email-retries";

  private final EmailDelivery delivery;

  public EmailRetries(EmailDelivery delivery) {
    this.delivery = delivery;
  }

  @KafkaListener(
      id = LISTENER,
      topics = KafkaRetryQueue.TOPIC,
      groupId = "${guichet.notification.consumer-group}-email-retries")
  public void retry(String emailId) {
    delivery.retry(emailId);
  }

  /** The dead-letter topic's handler. */
  public void dead(ConsumerRecord<String, String> record) {
    Header reason = record.headers().lastHeader(KafkaRetryQueue.REASON);
    delivery.gaveUp(
        record.value(),
        reason == null ? "retries exhausted" : new String(reason.value(), StandardCharsets.UTF_8));
  }
}
