package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The allocation state in maps, for the domain's own tests. */
final class InMemoryAllocationState implements AllocationState {

  private final Map<EventId, EventStock> events = new HashMap<>();
  private final Map<ReservationId, Reservation> reservations = new HashMap<>();
  private final Map<String, Integer> tickets = new HashMap<>();
  private final Map<String, AccessCode> codes = new HashMap<>();
  private final Map<String, WaitingEntry> entries = new java.util.LinkedHashMap<>();
  private final Map<EventId, Seating> seatings = new HashMap<>();

  @Override
  public Optional<EventStock> event(EventId id) {
    return Optional.ofNullable(events.get(id));
  }

  @Override
  public void put(EventStock stock) {
    events.put(stock.id(), stock);
  }

  @Override
  public Optional<Reservation> reservation(ReservationId id) {
    return Optional.ofNullable(reservations.get(id));
  }

  @Override
  public void put(Reservation reservation) {
    reservations.put(reservation.id(), reservation);
  }

  @Override
  public int ticketsOf(EventId event, OfferId offer, CustomerId customer) {
    return tickets.getOrDefault(key(event, offer, customer), 0);
  }

  @Override
  public void putTicketsOf(EventId event, OfferId offer, CustomerId customer, int count) {
    tickets.put(key(event, offer, customer), count);
  }

  @Override
  public List<Reservation> holdsEndedBy(Instant now) {
    return reservations.values().stream()
        .filter(reservation -> reservation.expiredAt(now))
        .sorted(Comparator.comparing(Reservation::expiresAt))
        .toList();
  }

  @Override
  public List<Reservation> holdsOf(EventId event) {
    return reservations.values().stream()
        .filter(r -> r.event().equals(event) && r.status() == Reservation.Status.HELD)
        .toList();
  }

  @Override
  public Optional<AccessCode> code(EventId event, String digest) {
    return codes.values().stream()
        .filter(code -> code.event().equals(event) && code.digest().equals(digest))
        .findFirst();
  }

  @Override
  public Optional<AccessCode> codeById(EventId event, String id) {
    return Optional.ofNullable(codes.get(event.value() + "|" + id));
  }

  @Override
  public void put(AccessCode code) {
    codes.put(code.event().value() + "|" + code.id(), code);
  }

  @Override
  public Optional<WaitingEntry> entry(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  @Override
  public Optional<WaitingEntry> liveEntry(EventId event, OfferId offer, CustomerId customer) {
    return entries.values().stream()
        .filter(
            e ->
                e.event().equals(event)
                    && e.offer().equals(offer)
                    && e.customer().equals(customer)
                    && e.status().live())
        .findFirst();
  }

  @Override
  public List<WaitingEntry> waiting(EventId event, OfferId offer) {
    return entries.values().stream()
        .filter(
            e ->
                e.event().equals(event)
                    && e.offer().equals(offer)
                    && e.status() == WaitingEntry.Status.WAITING)
        .sorted(Comparator.comparingLong(WaitingEntry::sequence))
        .toList();
  }

  @Override
  public void put(WaitingEntry entry) {
    entries.put(entry.id(), entry);
  }

  @Override
  public List<Reservation> takingSeats(EventId event) {
    return reservations.values().stream()
        .filter(r -> r.event().equals(event) && r.status().takesSeats())
        .toList();
  }

  @Override
  public Optional<Seating> seating(EventId event) {
    return Optional.ofNullable(seatings.get(event));
  }

  @Override
  public void put(Seating seating) {
    seatings.put(seating.event(), seating);
  }

  int seatsTaken(EventId event, OfferId offer) {
    return events.get(event).offer(offer).orElseThrow().seatsTaken();
  }

  private static String key(EventId event, OfferId offer, CustomerId customer) {
    return event.value() + "|" + offer.value() + "|" + customer.value();
  }
}
