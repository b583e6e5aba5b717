package io.guichet.notification.adapter.out.kafka;

import io.guichet.notification.application.DeadLetters;
import io.guichet.notification.domain.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The webhooks' dead-letter topic, {@value #TOPIC}: each delivery given up, keyed by endpoint and
 * ordering key, its payload as value, and why in the headers. It stays in the delivery log too,
 * where an admin replays it.
 */
public final class KafkaDeadLetters implements DeadLetters, AutoCloseable {

  public static final String TOPIC = "notification.webhooks.dlt";
  public static final String DELIVERY = "guichet.webhook.delivery";
  public static final String WEBHOOK = "guichet.webhook.endpoint";

  private final KafkaProducer<String, String> producer;

  public KafkaDeadLetters(String bootstrapServers) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", bootstrapServers,
                "acks", "all",
                "enable.idempotence", "true",
                "client.id", "notification-webhook-dlt"),
            new StringSerializer(),
            new StringSerializer());
  }

  @Override
  public void deadLetter(Delivery delivery, String reason) {
    ProducerRecord<String, String> record =
        new ProducerRecord<>(
            TOPIC, delivery.webhookId() + "/" + delivery.orderingKey(), delivery.payload());
    record.headers().add(KafkaRetryQueue.REASON, reason.getBytes(StandardCharsets.UTF_8));
    record.headers().add(DELIVERY, delivery.deliveryId().getBytes(StandardCharsets.UTF_8));
    record.headers().add(WEBHOOK, delivery.webhookId().getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not write to " + TOPIC, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
