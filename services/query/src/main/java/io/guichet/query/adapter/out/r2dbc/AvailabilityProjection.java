package io.guichet.query.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SalesClosed;
import io.guichet.events.catalog.SalesOpened;
import io.guichet.outbox.ChangeNotifications;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.schemas.Topics;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Projects the availability (events, offers' terms, seats held and sold) from {@code
 * catalog.events} and {@code booking.reservations}, in a consumer group of its own. A burst's
 * rejections move no seat and cost it nothing (not even a statement), so it keeps up with the
 * allocator whatever the backlog of the reservations' projection. Rows, the {@code NOTIFY} of the
 * events whose availability changed and the positions commit together; each fact's id is recorded,
 * so a fact published twice moves nothing twice.
 */
public final class AvailabilityProjection implements PositionedConsumer.Projector {

  /** The topics the availability is made of. */
  public static final List<String> TOPICS =
      List.of(Topics.CATALOG_EVENTS.name(), Topics.RESERVATIONS.name());

  private final DatabaseClient database;
  private final TransactionalOperator transactions;
  private final ObservationRegistry observations;
  private final String schema;

  /**
   * @param schema the schema whose tables it writes (the serving one, or one being rebuilt)
   */
  public AvailabilityProjection(
      DatabaseClient database,
      TransactionalOperator transactions,
      ObservationRegistry observations,
      String schema) {
    this.database = database;
    this.transactions = transactions;
    this.observations = observations;
    this.schema = schema;
  }

  @Override
  public Mono<Void> apply(
      List<ConsumerRecord<String, SpecificRecord>> records, Mono<Void> savePositions) {
    return Mono.defer(
        () -> {
          Set<String> changed = new LinkedHashSet<>();
          List<ConsumerRecord<String, SpecificRecord>> catalog = new ArrayList<>();
          List<SpecificRecord> seatMoves = new ArrayList<>();
          for (ConsumerRecord<String, SpecificRecord> record : records) {
            if (movesSeats(record.value())) {
              seatMoves.add(record.value());
            } else if (catalog(record.value())) {
              catalog.add(record);
            }
          }
          // Catalog facts one by one, in order; seat moves (deltas, which commute with them)
          // for the whole batch at once.
          return Flux.fromIterable(catalog)
              .concatMap(
                  record ->
                      PositionedConsumer.observed(
                          observations, record, once(record.value(), changed)))
              .then(Mono.defer(() -> seatMoves(seatMoves, changed)))
              .then(
                  Mono.defer(
                      () ->
                          ChangeNotifications.announce(
                              database, ReadModelProjection.AVAILABILITY_CHANNEL, changed)))
              .then(savePositions)
              .as(transactions::transactional);
        });
  }

  private static boolean movesSeats(SpecificRecord fact) {
    return fact instanceof SeatsHeld
        || fact instanceof ReservationConfirmed
        || fact instanceof HoldExpired
        || fact instanceof ReservationCancelled;
  }

  /**
   * A batch's seat moves in a few statements whatever its size: the facts not applied before
   * (recorded in one statement), their reservations' allocations (read in one), the moves worked
   * out here in the batch's order (booking.reservations is ordered per reservation), then the new
   * allocations and each offer's net change written in one statement each.
   */
  private Mono<Void> seatMoves(List<SpecificRecord> facts, Set<String> changed) {
    if (facts.isEmpty()) {
      return Mono.empty();
    }
    String[] ids = facts.stream().map(Facts::id).toArray(String[]::new);
    String[] reservations =
        facts.stream()
            .map(fact -> Facts.text(fact, "reservationId"))
            .distinct()
            .toArray(String[]::new);
    Mono<Set<String>> fresh =
        database
            .sql(
                sql(
                    "INSERT INTO {schema}.availability_facts (event_id) SELECT unnest($1::text[])"
                        + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id"))
            .bind(0, ids)
            .map(row -> row.get("event_id", String.class))
            .all()
            .collect(java.util.stream.Collectors.toSet());
    // Where each reservation's seats are; "+" after it when they are seats of a seat map.
    Mono<Map<String, String>> allocations =
        database
            .sql(
                sql(
                    "SELECT reservation_id, allocation, seats IS NOT NULL AS seated"
                        + " FROM {schema}.seat_allocations WHERE reservation_id = ANY ($1::text[])"))
            .bind(0, reservations)
            .map(
                row ->
                    Map.entry(
                        row.get("reservation_id", String.class),
                        row.get("allocation", String.class)
                            + (Boolean.TRUE.equals(row.get("seated", Boolean.class)) ? "+" : "")))
            .all()
            .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    return fresh
        .zipWith(allocations)
        .flatMap(
            found -> {
              Map<String, String> now = new HashMap<>();
              Set<String> seatMapped = new java.util.HashSet<>();
              found
                  .getT2()
                  .forEach(
                      (reservation, allocation) -> {
                        if (allocation.endsWith("+")) {
                          seatMapped.add(reservation);
                        }
                        now.put(reservation, allocation.replace("+", ""));
                      });
              Map<String, String> touched = new LinkedHashMap<>();
              Map<String, String> events = new HashMap<>();
              Map<String, String> seatsHeld = new HashMap<>();
              Map<List<String>, int[]> deltas = new LinkedHashMap<>();
              for (SpecificRecord fact : facts) {
                if (!found.getT1().contains(Facts.id(fact))) {
                  continue;
                }
                String reservation = Facts.text(fact, "reservationId");
                String before = now.getOrDefault(reservation, "");
                String after = after(fact);
                int seats = Integer.parseInt(Facts.text(fact, "seats"));
                int[] delta =
                    deltas.computeIfAbsent(
                        List.of(Facts.text(fact, "eventId"), Facts.text(fact, "offerId")),
                        k -> new int[2]);
                move(before, after, seats, delta);
                now.put(reservation, after);
                touched.put(reservation, after);
                events.put(reservation, Facts.text(fact, "eventId"));
                if (fact instanceof SeatsHeld hold && !hold.getAssignedSeats().isEmpty()) {
                  seatsHeld.put(reservation, SeatsJson.write(hold.getAssignedSeats()));
                  seatMapped.add(reservation);
                }
                changed.add(Facts.text(fact, "eventId"));
              }
              boolean seatMoves = touched.keySet().stream().anyMatch(seatMapped::contains);
              return saveAllocations(touched, events, seatsHeld, seatMoves)
                  .then(saveDeltas(deltas));
            });
  }

  /** Where a fact puts its reservation's seats. */
  private static String after(SpecificRecord fact) {
    if (fact instanceof SeatsHeld) {
      return "HELD";
    }
    if (fact instanceof ReservationConfirmed) {
      return "CONFIRMED";
    }
    return "RELEASED";
  }

  /** Adds the move of these seats from where they were to where they go to {held, sold}. */
  private static void move(String before, String after, int seats, int[] delta) {
    if (before.equals(after)) {
      return;
    }
    if (before.equals("HELD")) {
      delta[0] -= seats;
    } else if (before.equals("CONFIRMED")) {
      delta[1] -= seats;
    }
    if (after.equals("HELD")) {
      delta[0] += seats;
    } else if (after.equals("CONFIRMED")) {
      delta[1] += seats;
    }
  }

  /** A lock of the seat changes' numbers (any constant the projection's instances share). */
  private static final long SEAT_CHANGES_LOCK = 0x5EA7_C4A6L;

  /**
   * Where each touched reservation's seats are now. A reservation with seats of a seat map (issue
   * 21) takes the next number of its seats' changes; when the batch moves such seats, it first
   * takes a transaction-scoped lock, so that the numbers commit in order across query instances and
   * a live view asking for the changes after its last number misses none.
   */
  private Mono<Void> saveAllocations(
      Map<String, String> touched,
      Map<String, String> events,
      Map<String, String> seatsHeld,
      boolean seatMoves) {
    if (touched.isEmpty()) {
      return Mono.empty();
    }
    Mono<Void> lock =
        seatMoves
            ? database.sql("SELECT pg_advisory_xact_lock(" + SEAT_CHANGES_LOCK + ")").then()
            : Mono.empty();
    return lock.then(
        database
            .sql(
                sql(
                    "INSERT INTO {schema}.seat_allocations AS a (reservation_id, allocation,"
                        + " event_id, seats, changed_seq)"
                        + " SELECT r, al, e, s,"
                        + " CASE WHEN s IS NULL THEN NULL ELSE nextval('public.seat_changes') END"
                        + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
                        + " AS u(r, al, e, s)"
                        + " ON CONFLICT (reservation_id) DO UPDATE SET"
                        + " allocation = EXCLUDED.allocation, event_id = EXCLUDED.event_id,"
                        + " seats = COALESCE(EXCLUDED.seats, a.seats),"
                        + " changed_seq = CASE WHEN COALESCE(EXCLUDED.seats, a.seats) IS NULL"
                        + " THEN NULL ELSE nextval('public.seat_changes') END"))
            .bind(0, touched.keySet().toArray(String[]::new))
            .bind(1, touched.values().toArray(String[]::new))
            .bind(2, touched.keySet().stream().map(events::get).toArray(String[]::new))
            .bind(3, touched.keySet().stream().map(seatsHeld::get).toArray(String[]::new))
            .then());
  }

  private Mono<Void> saveDeltas(Map<List<String>, int[]> deltas) {
    return Flux.fromIterable(deltas.entrySet())
        .filter(entry -> entry.getValue()[0] != 0 || entry.getValue()[1] != 0)
        .concatMap(
            entry ->
                seats(
                    entry.getKey().get(0),
                    entry.getKey().get(1),
                    entry.getValue()[0],
                    entry.getValue()[1]))
        .then();
  }

  /** The catalog's facts: events, offers' terms, sales windows. */
  private static boolean catalog(SpecificRecord fact) {
    return fact instanceof EventScheduled
        || fact instanceof OfferPublished
        || fact instanceof SalesOpened
        || fact instanceof SalesClosed
        || fact instanceof EventCancelled;
  }

  private String sql(String text) {
    return text.replace("{schema}", schema);
  }

  private Mono<Void> once(SpecificRecord fact, Set<String> changed) {
    return Facts.once(database, sql("{schema}.availability_facts"), fact, project(fact, changed));
  }

  private Mono<Void> project(SpecificRecord fact, Set<String> changed) {
    if (fact instanceof EventScheduled scheduled) {
      changed.add(scheduled.getEventId());
      return scheduled(scheduled);
    }
    if (fact instanceof OfferPublished offer) {
      changed.add(offer.getEventId());
      return offer(offer);
    }
    if (fact instanceof SalesOpened opened) {
      changed.add(opened.getEventId());
      return sales(opened.getEventId(), "OPEN", false);
    }
    if (fact instanceof SalesClosed closed) {
      changed.add(closed.getEventId());
      return sales(closed.getEventId(), "CLOSED", false);
    }
    if (fact instanceof EventCancelled cancelled) {
      changed.add(cancelled.getEventId());
      return sales(cancelled.getEventId(), "CLOSED", true);
    }
    return Mono.empty();
  }

  /** Moves seats of an offer (creating its row if its terms are not projected yet). */
  private Mono<Void> seats(String eventId, String offerId, int heldDelta, int soldDelta) {
    return database
        .sql(
            sql(
                "INSERT INTO {schema}.offers AS o (event_id, offer_id, seats_held, seats_sold)"
                    + " VALUES ($1, $2, GREATEST(0, $3), GREATEST(0, $4))"
                    + " ON CONFLICT (event_id, offer_id) DO UPDATE SET"
                    + " seats_held = GREATEST(0, o.seats_held + $3),"
                    + " seats_sold = GREATEST(0, o.seats_sold + $4)"))
        .bind(0, eventId)
        .bind(1, offerId)
        .bind(2, heldDelta)
        .bind(3, soldDelta)
        .then();
  }

  private Mono<Void> scheduled(EventScheduled scheduled) {
    return database
        .sql(
            sql(
                "INSERT INTO {schema}.events (event_id, organizer_id, title, starts_at, ends_at)"
                    + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO UPDATE SET"
                    + " organizer_id = EXCLUDED.organizer_id, title = EXCLUDED.title,"
                    + " starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at"))
        .bind(0, scheduled.getEventId())
        .bind(1, scheduled.getOrganizerId())
        .bind(2, scheduled.getTitle())
        .bind(3, Facts.at(scheduled.getStartsAt()))
        .bind(4, Facts.at(scheduled.getEndsAt()))
        .then();
  }

  private Mono<Void> offer(OfferPublished offer) {
    return database
        .sql(
            sql(
                "INSERT INTO {schema}.offers AS o (event_id, offer_id, name, category,"
                    + " price_minor, currency, seats_per_ticket, seats_on_sale, hidden)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                    + " ON CONFLICT (event_id, offer_id) DO UPDATE SET name = EXCLUDED.name,"
                    + " category = EXCLUDED.category, price_minor = EXCLUDED.price_minor,"
                    + " currency = EXCLUDED.currency,"
                    + " seats_per_ticket = EXCLUDED.seats_per_ticket,"
                    + " seats_on_sale = EXCLUDED.seats_on_sale, hidden = EXCLUDED.hidden"))
        .bind(0, offer.getEventId())
        .bind(1, offer.getOfferId())
        .bind(2, offer.getName())
        .bind(3, offer.getCategory())
        .bind(4, offer.getPriceMinor())
        .bind(5, offer.getCurrency())
        .bind(6, offer.getSeatsPerTicket())
        .bind(7, offer.getSeatsOnSale())
        .bind(8, offer.getHidden())
        .then();
  }

  private Mono<Void> sales(String eventId, String sales, boolean cancelled) {
    // A cancelled event stays cancelled whatever window change is projected after it.
    return database
        .sql(
            sql(
                "INSERT INTO {schema}.events AS e (event_id, sales, cancelled)"
                    + " VALUES ($1, $2, $3) ON CONFLICT (event_id) DO UPDATE SET"
                    + " sales = CASE WHEN e.cancelled THEN 'CLOSED' ELSE EXCLUDED.sales END,"
                    + " cancelled = e.cancelled OR EXCLUDED.cancelled"))
        .bind(0, eventId)
        .bind(1, sales)
        .bind(2, cancelled)
        .then();
  }
}
