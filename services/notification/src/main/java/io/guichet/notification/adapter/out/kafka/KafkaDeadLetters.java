package io.guichet.notification.adapter.out.kafka;

import io.guichet.notification.application.DeadLetters;
import io.guichet.notification.domain.Delivery;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The webhooks' dead-letter topic, {@value #TOPIC}: each delivery given up, keyed by endpoint and
 * ordering key, its payload as value, and why in the headers. It stays in the delivery log too,
 * where an admin replays it.
 */
public final class KafkaDeadLetters implements DeadLetters {

  public static final String TOPIC = "notification.webhooks.dlt";
  public static final String DELIVERY = "guichet.webhook.delivery";
  public static final String WEBHOOK = "guichet.webhook.endpoint";

  private final KafkaTemplate<String, String> template;

  public KafkaDeadLetters(KafkaTemplate<String, String> template) {
    this.template = template;
  }

  @Override
  public void deadLetter(Delivery delivery, String reason) {
    ProducerRecord<String, String> record =
        new ProducerRecord<>(
            TOPIC, delivery.webhookId() + "/" + delivery.orderingKey(), delivery.payload());
    record.headers().add(KafkaRetryQueue.REASON, reason.getBytes(StandardCharsets.UTF_8));
    record.headers().add(DELIVERY, delivery.deliveryId().getBytes(StandardCharsets.UTF_8));
    record.headers().add(WEBHOOK, delivery.webhookId().getBytes(StandardCharsets.UTF_8));
    KafkaRetryQueue.send(template, record);
  }
}
