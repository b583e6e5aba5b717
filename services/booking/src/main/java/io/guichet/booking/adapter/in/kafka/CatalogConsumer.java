package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.application.CatalogView;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.platform.kafka.QuietConsumers;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command side's copy of the catalog: every instance reads all of {@code catalog.events} from
 * the beginning (the topic is kept forever and is small next to the requests) into memory. It is
 * ready once it has read up to where the topic ended when it started.
 */
public final class CatalogConsumer implements CatalogView, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogConsumer.class);

  private final KafkaConsumer<String, SpecificRecord> consumer;
  private final Map<String, Event> events = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean ready;
  private volatile boolean running = true;

  public CatalogConsumer(String bootstrapServers, String schemaRegistryUrl) {
    Map<String, Object> config = QuietConsumers.quiet(new HashMap<>());
    config.put("bootstrap.servers", bootstrapServers);
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", "false");
    config.put("client.id", "booking-catalog-view");
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    AvroDeserializer<SpecificRecord> values = new AvroDeserializer<>();
    values.configure(config, false);
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
    thread = new Thread(this::run, "booking-catalog-view");
    thread.setDaemon(true);
  }

  public CatalogConsumer start() {
    thread.start();
    return this;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public boolean knowsEvent(String eventId) {
    return events.containsKey(eventId);
  }

  @Override
  public Optional<OfferLimits> offer(String eventId, String offerId) {
    Event event = events.get(eventId);
    if (event == null) {
      return Optional.empty();
    }
    Integer max = event.maxPerOrder.get(offerId);
    return max == null ? Optional.empty() : Optional.of(new OfferLimits(max, event.cancelled));
  }

  @Override
  public Optional<EventSeats> event(String eventId) {
    Event event = events.get(eventId);
    if (event == null || event.organizerId == null) {
      return Optional.empty();
    }
    List<OfferSeats> offers =
        event.seatsOnSale.entrySet().stream()
            .map(
                offer ->
                    new OfferSeats(
                        offer.getKey(),
                        offer.getValue(),
                        event.seatsPerTicket.getOrDefault(offer.getKey(), 1)))
            .toList();
    return Optional.of(new EventSeats(event.organizerId, offers, event.cancelled));
  }

  private void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.CATALOG_EVENTS.name()).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> startEnds = consumer.endOffsets(partitions);
      while (running) {
        try {
          for (ConsumerRecord<String, SpecificRecord> record :
              consumer.poll(Duration.ofMillis(500))) {
            apply(record.value());
          }
        } catch (RecordDeserializationException e) {
          // The allocator dead-letters it; this view only steps over it.
          LOG.warn("unreadable catalog record at {}@{}", e.topicPartition(), e.offset(), e);
          consumer.seek(e.topicPartition(), e.offset() + 1);
        }
        if (!ready && caughtUp(startEnds)) {
          ready = true;
          LOG.info("catalog view ready: {} events", events.size());
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

  private boolean caughtUp(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream()
        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
  }

  private void apply(SpecificRecord fact) {
    if (fact instanceof EventScheduled scheduled) {
      events.computeIfAbsent(scheduled.getEventId(), id -> new Event()).organizerId =
          scheduled.getOrganizerId();
    } else if (fact instanceof OfferPublished offer) {
      Event event = events.computeIfAbsent(offer.getEventId(), id -> new Event());
      event.maxPerOrder.put(offer.getOfferId(), offer.getMaxTicketsPerOrder());
      event.seatsOnSale.put(offer.getOfferId(), offer.getSeatsOnSale());
      event.seatsPerTicket.put(offer.getOfferId(), offer.getSeatsPerTicket());
    } else if (fact instanceof EventCancelled cancelled) {
      events.computeIfAbsent(cancelled.getEventId(), id -> new Event()).cancelled = true;
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

  private static final class Event {
    final Map<String, Integer> maxPerOrder = new ConcurrentHashMap<>();
    final Map<String, Integer> seatsOnSale = new ConcurrentHashMap<>();
    final Map<String, Integer> seatsPerTicket = new ConcurrentHashMap<>();
    volatile String organizerId;
    volatile boolean cancelled;
  }
}
