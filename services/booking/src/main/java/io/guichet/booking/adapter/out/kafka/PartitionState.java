package io.guichet.booking.adapter.out.kafka;

import io.guichet.booking.domain.AccessCode;
import io.guichet.booking.domain.AllocationState;
import io.guichet.booking.domain.EventStock;
import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Reservation;
import io.guichet.booking.domain.Reservation.Status;
import io.guichet.booking.domain.Seating;
import io.guichet.booking.domain.WaitingEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The allocation state of one event partition, in memory, with its changelog: what changed since
 * the last {@link #drainChanges} is written to a compacted topic in the same transaction as the
 * outcomes and the consumed offsets, and {@link #apply} rebuilds the state from that topic after a
 * crash or on another instance.
 *
 * <p>The changelog holds only what cannot be derived: each event's stock (terms, sales window,
 * seats taken), written once per batch however many requests changed it, each access code with its
 * uses, each waiting-list entry, each event's seating (its seat map, without statuses: issue 21),
 * and each reservation that took seats, under its id, with the seats it has. Customers' ticket
 * counts, the index of holds by their end and which seats are held or sold are derived from the
 * reservations when the state is rebuilt. A rejected reservation is remembered by its id alone:
 * nothing is ever decided from its other fields, only that it was decided, so that a request
 * delivered twice is answered once. Rejections never change, so a batch's rejected ids go in a few
 * records of their own (a JSON array each, under a key used once) rather than one record each: in a
 * sold-out burst nearly every request is rejected, and this halves what the allocator writes per
 * request.
 */
public final class PartitionState implements AllocationState {

  /** Changelog key prefix of an event's stock. */
  static final String EVENT = "e|";

  /** Changelog key prefix of a reservation. */
  static final String RESERVATION = "r|";

  /** Changelog key prefix of an access code (its terms and uses), under its event and id. */
  static final String CODE = "c|";

  /** Changelog key prefix of a waiting-list entry, under its id. */
  static final String ENTRY = "w|";

  /** Changelog key prefix of an event's seating (its seat map without statuses), under its id. */
  static final String SEATING = "m|";

  /** Changelog key prefix of a batch's rejected reservation ids. */
  static final String REJECTIONS = "x|";

  /**
   * Characters of ids per rejections record: even if every character were JSON-escaped (six bytes),
   * the record stays under Kafka's 1 MiB limit (the allocator takes ids of at most 200 characters).
   */
  private static final int REJECTIONS_PER_RECORD_CHARS = 128 * 1024;

  private record Hold(Instant end, String reservation) {}

  private static final Comparator<Hold> BY_END =
      Comparator.comparing(Hold::end).thenComparing(Hold::reservation);

  private final Map<EventId, EventStock> stocks = new HashMap<>();
  private final Map<String, Reservation> reservations = new HashMap<>();
  private final DecidedIds rejected = new DecidedIds();
  private final Map<String, Integer> tickets = new HashMap<>();
  private final NavigableSet<Hold> holds = new TreeSet<>(BY_END);
  private final Map<String, AccessCode> codes = new HashMap<>();
  private final Map<String, String> codeIdsByDigest = new HashMap<>();
  private final Map<String, WaitingEntry> entries = new HashMap<>();
  private final Map<String, NavigableMap<Long, String>> waitingByOffer = new HashMap<>();
  private final Map<String, String> liveEntries = new HashMap<>();
  private final Set<String> changedEntries = new LinkedHashSet<>();
  private final Map<EventId, Seating> seatings = new HashMap<>();
  private final Set<EventId> changedSeatings = new LinkedHashSet<>();
  private final Set<EventId> changedStocks = new LinkedHashSet<>();
  private final Set<String> changedCodes = new LinkedHashSet<>();
  private final Set<String> changedReservations = new LinkedHashSet<>();
  private final List<String> newRejections = new ArrayList<>();

  @Override
  public Optional<EventStock> event(EventId id) {
    return Optional.ofNullable(stocks.get(id));
  }

  @Override
  public void put(EventStock stock) {
    stocks.put(stock.id(), stock);
    changedStocks.add(stock.id());
  }

  @Override
  public Optional<Reservation> reservation(ReservationId id) {
    Reservation found = reservations.get(id.value());
    if (found != null) {
      return Optional.of(found);
    }
    return rejected.contains(id.value())
        ? Optional.of(rejectedPlaceholder(id.value()))
        : Optional.empty();
  }

  @Override
  public void put(Reservation reservation) {
    remember(reservation);
    if (reservation.status() == Status.REJECTED) {
      newRejections.add(reservation.id().value());
    } else {
      changedReservations.add(reservation.id().value());
    }
  }

  @Override
  public int ticketsOf(EventId event, OfferId offer, CustomerId customer) {
    return tickets.getOrDefault(ticketKey(event, offer, customer), 0);
  }

  @Override
  public void putTicketsOf(EventId event, OfferId offer, CustomerId customer, int count) {
    String key = ticketKey(event, offer, customer);
    if (count == 0) {
      tickets.remove(key);
    } else {
      tickets.put(key, count);
    }
  }

  @Override
  public List<Reservation> holdsEndedBy(Instant now) {
    List<Reservation> ended = new ArrayList<>();
    for (Hold hold : holds) {
      if (hold.end().isAfter(now)) {
        break;
      }
      ended.add(reservations.get(hold.reservation()));
    }
    return ended;
  }

  @Override
  public Optional<AccessCode> code(EventId event, String digest) {
    String id = codeIdsByDigest.get(codeKey(event, digest));
    return id == null ? Optional.empty() : codeById(event, id);
  }

  @Override
  public Optional<AccessCode> codeById(EventId event, String id) {
    return Optional.ofNullable(codes.get(codeKey(event, id)));
  }

  @Override
  public void put(AccessCode code) {
    remember(code);
    changedCodes.add(codeKey(code.event(), code.id()));
  }

  @Override
  public Optional<WaitingEntry> entry(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  @Override
  public Optional<WaitingEntry> liveEntry(EventId event, OfferId offer, CustomerId customer) {
    return Optional.ofNullable(liveEntries.get(ticketKey(event, offer, customer)))
        .map(entries::get);
  }

  @Override
  public List<WaitingEntry> waiting(EventId event, OfferId offer) {
    NavigableMap<Long, String> waiting = waitingByOffer.get(offerKey(event, offer));
    return waiting == null ? List.of() : waiting.values().stream().map(entries::get).toList();
  }

  @Override
  public void put(WaitingEntry entry) {
    remember(entry);
    changedEntries.add(entry.id());
  }

  @Override
  public List<Reservation> holdsOf(EventId event) {
    List<Reservation> found = new ArrayList<>();
    for (Hold hold : holds) {
      Reservation held = reservations.get(hold.reservation());
      if (held.event().equals(event)) {
        found.add(held);
      }
    }
    return found;
  }

  @Override
  public List<Reservation> takingSeats(EventId event) {
    return reservations.values().stream()
        .filter(reservation -> reservation.event().equals(event))
        .filter(reservation -> reservation.status().takesSeats())
        .toList();
  }

  @Override
  public Optional<Seating> seating(EventId event) {
    return Optional.ofNullable(seatings.get(event));
  }

  @Override
  public void put(Seating seating) {
    seatings.put(seating.event(), seating);
    changedSeatings.add(seating.event());
  }

  /** The event stocks of this partition, for operators' checks. */
  public Collection<EventStock> stocks() {
    return List.copyOf(stocks.values());
  }

  /** Whether anything changed since the last drain. */
  public boolean changed() {
    return !changedStocks.isEmpty()
        || !changedSeatings.isEmpty()
        || !changedCodes.isEmpty()
        || !changedEntries.isEmpty()
        || !changedReservations.isEmpty()
        || !newRejections.isEmpty();
  }

  /**
   * Hands each changelog record of what changed since the last drain (key, value) to the writer,
   * the latest value once per key, and forgets them.
   */
  public void drainChanges(BiConsumer<String, String> writer) {
    for (EventId id : changedStocks) {
      writer.accept(EVENT + id.value(), StateCodec.write(stocks.get(id)));
    }
    for (EventId id : changedSeatings) {
      writer.accept(SEATING + id.value(), StateCodec.write(seatings.get(id)));
    }
    for (String key : changedCodes) {
      writer.accept(CODE + key, StateCodec.write(codes.get(key)));
    }
    for (String id : changedReservations) {
      writer.accept(RESERVATION + id, StateCodec.write(reservations.get(id)));
    }
    for (String id : changedEntries) {
      writer.accept(ENTRY + id, StateCodec.write(entries.get(id)));
    }
    int from = 0;
    int chars = 0;
    for (int i = 0; i < newRejections.size(); i++) {
      chars += newRejections.get(i).length();
      if (chars >= REJECTIONS_PER_RECORD_CHARS || i == newRejections.size() - 1) {
        writer.accept(
            REJECTIONS + UUID.randomUUID(),
            StateCodec.writeIds(newRejections.subList(from, i + 1)));
        from = i + 1;
        chars = 0;
      }
    }
    changedStocks.clear();
    changedSeatings.clear();
    changedCodes.clear();
    changedEntries.clear();
    changedReservations.clear();
    newRejections.clear();
  }

  /**
   * Applies one changelog record while rebuilding; call {@link #rebuilt} once all are applied.
   * Records of an unknown kind are ignored (written by a later version).
   */
  public void apply(String key, String value) {
    if (key.startsWith(EVENT)) {
      EventStock stock = StateCodec.readStock(value);
      stocks.put(stock.id(), stock);
    } else if (key.startsWith(SEATING)) {
      Seating seating = StateCodec.readSeating(value);
      seatings.put(seating.event(), seating);
    } else if (key.startsWith(CODE)) {
      remember(StateCodec.readCode(value));
    } else if (key.startsWith(RESERVATION)) {
      remember(StateCodec.readReservation(value));
    } else if (key.startsWith(ENTRY)) {
      remember(StateCodec.readEntry(value));
    } else if (key.startsWith(REJECTIONS)) {
      StateCodec.readIds(value).forEach(rejected::add);
    }
  }

  /**
   * Derives the customers' ticket counts, and the seat maps' held and sold seats, from the rebuilt
   * reservations.
   */
  public void rebuilt() {
    tickets.clear();
    for (Reservation reservation : reservations.values()) {
      if (reservation.status().takesSeats()) {
        tickets.merge(
            ticketKey(reservation.event(), reservation.offer(), reservation.customer()),
            reservation.quantity(),
            Integer::sum);
        if (!reservation.assignedSeats().isEmpty()) {
          Seating seating = seatings.get(reservation.event());
          if (seating != null) {
            seating.mark(reservation);
          }
        }
      }
    }
  }

  private void remember(WaitingEntry entry) {
    WaitingEntry before = entries.put(entry.id(), entry);
    String offer = offerKey(entry.event(), entry.offer());
    String customer = ticketKey(entry.event(), entry.offer(), entry.customer());
    if (before != null && before.status() == WaitingEntry.Status.WAITING) {
      NavigableMap<Long, String> waiting = waitingByOffer.get(offer);
      waiting.remove(before.sequence());
      if (waiting.isEmpty()) {
        waitingByOffer.remove(offer);
      }
    }
    if (before != null && before.status().live()) {
      liveEntries.remove(customer, before.id());
    }
    if (entry.status() == WaitingEntry.Status.WAITING) {
      waitingByOffer.computeIfAbsent(offer, k -> new TreeMap<>()).put(entry.sequence(), entry.id());
    }
    if (entry.status().live()) {
      liveEntries.put(customer, entry.id());
    }
  }

  private void remember(AccessCode code) {
    codes.put(codeKey(code.event(), code.id()), code);
    codeIdsByDigest.put(codeKey(code.event(), code.digest()), code.id());
  }

  private void remember(Reservation reservation) {
    String id = reservation.id().value();
    if (reservation.status() == Status.REJECTED) {
      rejected.add(id);
      return;
    }
    Reservation before = reservations.put(id, reservation);
    if (before != null && before.status() == Status.HELD) {
      holds.remove(new Hold(before.expiresAt(), id));
    }
    if (reservation.status() == Status.HELD) {
      holds.add(new Hold(reservation.expiresAt(), id));
    }
  }

  /**
   * A rejected reservation as the allocator needs it: its id and status (it only asks whether a
   * reservation was decided, and whether it is held).
   */
  private static Reservation rejectedPlaceholder(String id) {
    return new Reservation(
        new ReservationId(id), null, null, null, 0, 0, null, null, Status.REJECTED);
  }

  private static String codeKey(EventId event, String idOrDigest) {
    return event.value() + "|" + idOrDigest;
  }

  private static String offerKey(EventId event, OfferId offer) {
    return event.value() + "|" + offer.value();
  }

  private static String ticketKey(EventId event, OfferId offer, CustomerId customer) {
    return event.value() + "|" + offer.value() + "|" + customer.value();
  }
}
