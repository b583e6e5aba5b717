package io.guichet.booking.adapter.out.kafka;

import io.guichet.booking.domain.AllocationState;
import io.guichet.booking.domain.EventStock;
import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Reservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The allocation state in four persistent Kafka Streams stores of one task (its changelogs make it
 * survive a crash, under the same transaction as the outcomes): event stocks, reservations, tickets
 * per customer and offer, and an index of holds ordered by the end of the hold.
 */
public final class StoreAllocationState implements AllocationState {

  public static final String EVENTS = "allocator-events";
  public static final String RESERVATIONS = "allocator-reservations";
  public static final String TICKETS = "allocator-tickets";
  public static final String HOLDS = "allocator-holds-by-end";

  /** Every store the allocator needs, for the topology to create and connect. */
  public static final List<String> STORES = List.of(EVENTS, RESERVATIONS, TICKETS, HOLDS);

  /** The stores whose keys are read again and again: worth a record cache. */
  public static final List<String> REREAD = List.of(EVENTS, TICKETS);

  private final KeyValueStore<String, String> events;
  private final KeyValueStore<String, String> reservations;
  private final KeyValueStore<String, String> tickets;
  private final KeyValueStore<String, String> holds;

  /**
   * Decoded stocks of the events this task has seen. The processor is the stores' only writer, so
   * this write-through mirror never goes stale; it saves decoding the hot event's stock per
   * request.
   */
  private final Map<EventId, EventStock> stocks = new HashMap<>();

  /**
   * Every reservation id in the store, as a Bloom filter: nearly every request is for a new
   * reservation, and the filter tells so without a RocksDB lookup (the largest cost per request in
   * profiles). It is filled from the store when the task starts, after the store is restored.
   */
  private final SeenKeys seen = new SeenKeys();

  public StoreAllocationState(ProcessorContext<?, ?> context) {
    this.events = context.getStateStore(EVENTS);
    this.reservations = context.getStateStore(RESERVATIONS);
    this.tickets = context.getStateStore(TICKETS);
    this.holds = context.getStateStore(HOLDS);
    try (KeyValueIterator<String, String> all = reservations.all()) {
      all.forEachRemaining(entry -> seen.add(entry.key));
    }
  }

  @Override
  public Optional<EventStock> event(EventId id) {
    EventStock known = stocks.get(id);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<EventStock> stored =
        Optional.ofNullable(events.get(id.value())).map(StateCodec::readStock);
    stored.ifPresent(stock -> stocks.put(id, stock));
    return stored;
  }

  @Override
  public void put(EventStock stock) {
    events.put(stock.id().value(), StateCodec.write(stock));
    stocks.put(stock.id(), stock);
  }

  @Override
  public Optional<Reservation> reservation(ReservationId id) {
    if (!seen.mightContain(id.value())) {
      return Optional.empty();
    }
    return Optional.ofNullable(reservations.get(id.value())).map(StateCodec::readReservation);
  }

  @Override
  public void put(Reservation reservation) {
    reservations.put(reservation.id().value(), StateCodec.write(reservation));
    seen.add(reservation.id().value());
    if (reservation.expiresAt() != null) {
      String key = holdKey(reservation.expiresAt(), reservation.id().value());
      if (reservation.status() == Reservation.Status.HELD) {
        holds.put(key, reservation.id().value());
      } else {
        holds.delete(key);
      }
    }
  }

  @Override
  public int ticketsOf(EventId event, OfferId offer, CustomerId customer) {
    String count = tickets.get(ticketKey(event, offer, customer));
    return count == null ? 0 : Integer.parseInt(count);
  }

  @Override
  public void putTicketsOf(EventId event, OfferId offer, CustomerId customer, int count) {
    String key = ticketKey(event, offer, customer);
    if (count == 0) {
      tickets.delete(key);
    } else {
      tickets.put(key, Integer.toString(count));
    }
  }

  @Override
  public List<Reservation> holdsEndedBy(Instant now) {
    // Keys sort by the end of the hold: scan from the oldest to now.
    return holds("", holdKey(now, "\uffff"), reservation -> reservation.expiredAt(now));
  }

  @Override
  public List<Reservation> holdsOf(EventId event) {
    return holds("", "\uffff", reservation -> reservation.event().equals(event));
  }

  private List<Reservation> holds(String from, String to, Predicate<Reservation> keep) {
    List<Reservation> found = new ArrayList<>();
    try (KeyValueIterator<String, String> range = holds.range(from, to)) {
      while (range.hasNext()) {
        KeyValue<String, String> entry = range.next();
        reservation(new ReservationId(entry.value))
            .filter(r -> r.status() == Reservation.Status.HELD)
            .filter(keep)
            .ifPresent(found::add);
      }
    }
    return found;
  }

  private static String holdKey(Instant end, String reservationId) {
    return String.format("%019d|%s", end.toEpochMilli(), reservationId);
  }

  private static String ticketKey(EventId event, OfferId offer, CustomerId customer) {
    return event.value() + "|" + offer.value() + "|" + customer.value();
  }
}
