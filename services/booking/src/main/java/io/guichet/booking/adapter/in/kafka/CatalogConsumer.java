package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.application.CatalogView;
import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SeatRow;
import io.guichet.events.catalog.SeatingAssigned;
import io.guichet.platform.kafka.TopicReplay;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.schemas.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The command side's copy of the catalog: every instance reads all of {@code catalog.events} from
 * the beginning (the topic is kept forever and is small next to the requests) into memory, as a
 * {@link TopicReplay}. It is ready once it has read up to where the topic ended when it started.
 */
public final class CatalogConsumer implements CatalogView, AutoCloseable {

  private final Map<String, Event> events = new ConcurrentHashMap<>();
  private final TopicReplay<SpecificRecord> replay;

  public CatalogConsumer(String bootstrapServers, String schemaRegistryUrl) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    replay =
        new TopicReplay<>(
            "booking-catalog-view",
            config,
            new AvroDeserializer<>(),
            IntStream.range(0, Topics.CATALOG_EVENTS.partitions())
                .mapToObj(p -> new TopicPartition(Topics.CATALOG_EVENTS.name(), p))
                .toList(),
            record -> apply(record.value()));
  }

  public CatalogConsumer start() {
    replay.start();
    return this;
  }

  @Override
  public boolean ready() {
    return replay.ready();
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
    return max == null
        ? Optional.empty()
        : Optional.of(new OfferLimits(max, event.cancelled, event.hidden.contains(offerId)));
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

  @Override
  public Optional<SeatFacts> seat(String eventId, SeatRef seat) {
    Event event = events.get(eventId);
    return event == null ? Optional.empty() : Optional.ofNullable(event.seats.get(seat));
  }

  @Override
  public Optional<String> seatCategory(String eventId, String offerId) {
    Event event = events.get(eventId);
    return event == null
        ? Optional.empty()
        : Optional.ofNullable(event.seatCategories.get(offerId));
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
      if (offer.getHidden()) {
        event.hidden.add(offer.getOfferId());
      } else {
        event.hidden.remove(offer.getOfferId());
      }
    } else if (fact instanceof SeatingAssigned seating) {
      Event event = events.computeIfAbsent(seating.getEventId(), id -> new Event());
      Map<SeatRef, SeatFacts> seats = new HashMap<>();
      for (SeatRow row : seating.getRows()) {
        List<String> categories = row.getCategories();
        for (int i = 0; i < row.getSeats().size(); i++) {
          seats.put(
              new SeatRef(row.getSection(), row.getRow(), row.getSeats().get(i)),
              new SeatFacts(
                  categories.size() == 1 ? categories.get(0) : categories.get(i),
                  !row.getUnsold().contains(i)));
        }
      }
      Map<String, String> categories = new HashMap<>();
      seating.getOffers().forEach((category, offer) -> categories.put(offer, category));
      event.seats = Map.copyOf(seats);
      event.seatCategories = Map.copyOf(categories);
    } else if (fact instanceof EventCancelled cancelled) {
      events.computeIfAbsent(cancelled.getEventId(), id -> new Event()).cancelled = true;
    }
  }

  @Override
  public void close() {
    replay.close();
  }

  private static final class Event {
    final Map<String, Integer> maxPerOrder = new ConcurrentHashMap<>();
    final Map<String, Integer> seatsOnSale = new ConcurrentHashMap<>();
    final Map<String, Integer> seatsPerTicket = new ConcurrentHashMap<>();
    final Set<String> hidden = ConcurrentHashMap.newKeySet();
    volatile Map<SeatRef, SeatFacts> seats = Map.of();
    volatile Map<String, String> seatCategories = Map.of();
    volatile String organizerId;
    volatile boolean cancelled;
  }
}
