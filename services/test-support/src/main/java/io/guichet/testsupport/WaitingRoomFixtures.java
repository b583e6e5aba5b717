package io.guichet.testsupport;

import io.guichet.events.waitingroom.QueueJoined;
import io.guichet.schemas.Topics;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Waiting-room facts as booking's front door writes them. */
public final class WaitingRoomFixtures {

  private WaitingRoomFixtures() {}

  /** A buyer's arrival, to publish on {@code booking.waiting-room} keyed by the event id. */
  public static QueueJoined joined(String event, String customer) {
    return QueueJoined.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEventId(event)
        .setCustomerId(customer)
        .setQueueTicket(UUID.randomUUID().toString())
        .build();
  }

  /** Appends these buyers' arrivals, in this order, as the front door would. */
  public static void append(
      KafkaProducer<String, SpecificRecord> producer, String event, Iterable<String> customers) {
    for (String customer : customers) {
      producer.send(
          new ProducerRecord<>(Topics.WAITING_ROOM.name(), event, joined(event, customer)));
    }
    producer.flush();
  }
}
