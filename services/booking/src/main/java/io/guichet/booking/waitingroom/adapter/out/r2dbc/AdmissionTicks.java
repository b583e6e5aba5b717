package io.guichet.booking.waitingroom.adapter.out.r2dbc;

import io.guichet.booking.application.CatalogView;
import io.guichet.booking.waitingroom.domain.AdmissionBudget;
import io.guichet.booking.waitingroom.domain.Room;
import io.guichet.events.waitingroom.AdmissionPaused;
import io.guichet.events.waitingroom.AdmissionResumed;
import io.guichet.events.waitingroom.BuyersAdmitted;
import io.guichet.events.waitingroom.PauseReason;
import io.guichet.events.waitingroom.QueueOrderDrawn;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Admission by the clock. Each tick, for every room that is on and open: draw the pre-queue's order
 * once (the sale just opened), pause admission when the event is sold out and resume it when seats
 * come back, and admit the next places by the room's budget ({@link AdmissionBudget}). Each room's
 * tick is one transaction under the room's row lock, which the writer of places takes too, so ticks
 * on several instances and the writer take turns and never admit a place twice; what a tick decided
 * is published through the outbox in the same transaction ({@code booking.admissions}).
 */
public final class AdmissionTicks {

  private final DatabaseClient database;
  private final TransactionalOperator transactions;
  private final Outbox outbox;
  private final OutboxRelay relay;
  private final SeatsInPlay seats;
  private final int adaptiveCeilingPerSecond;

  public AdmissionTicks(
      DatabaseClient database,
      TransactionalOperator transactions,
      Outbox outbox,
      OutboxRelay relay,
      Function<String, Optional<CatalogView.EventSeats>> catalog,
      int adaptiveCeilingPerSecond) {
    this.database = database;
    this.transactions = transactions;
    this.outbox = outbox;
    this.relay = relay;
    this.seats = new SeatsInPlay(database, catalog);
    this.adaptiveCeilingPerSecond = adaptiveCeilingPerSecond;
  }

  /** One tick of every open room. */
  public Mono<Void> tick() {
    return database
        .sql("SELECT event_id FROM waiting_rooms WHERE enabled AND opens_at <= now()")
        .map(row -> row.get("event_id", String.class))
        .all()
        .concatMap(this::tick)
        .then();
  }

  /** The room as locked for this tick, with the database's clock. */
  private record Locked(Room room, double credit, Instant tickedAt, Instant now) {}

  Mono<Void> tick(String eventId) {
    return database
        .sql(
            "SELECT "
                + R2dbcRooms.ROOM_COLUMNS
                + ", credit, ticked_at, clock_timestamp() AS now FROM waiting_rooms"
                + " WHERE event_id = $1 AND enabled FOR UPDATE")
        .bind(0, eventId)
        .map(
            row -> {
              OffsetDateTime ticked = row.get("ticked_at", OffsetDateTime.class);
              return new Locked(
                  R2dbcRooms.room(row, 0),
                  row.get("credit", Double.class),
                  ticked == null ? null : ticked.toInstant(),
                  row.get("now", OffsetDateTime.class).toInstant());
            })
        .one()
        .flatMap(this::advance)
        .as(transactions::transactional)
        .doOnSuccess(done -> relay.nudge());
  }

  private Mono<Void> advance(Locked locked) {
    Room room = locked.room();
    List<SpecificRecord> facts = new ArrayList<>();
    Mono<Long> placed = room.drawn() ? Mono.just(room.lastPosition()) : draw(room, facts);
    return placed
        .zipWith(seats.of(room.eventId()))
        .flatMap(found -> decide(locked, found.getT1(), found.getT2(), facts));
  }

  /** Pauses or resumes admission by the seats left, then admits by the room's budget. */
  private Mono<Void> decide(
      Locked locked, long lastPosition, SeatsInPlay.Count count, List<SpecificRecord> facts) {
    Room room = locked.room();
    boolean soldOut = count.soldOut();
    if (soldOut != room.soldOut()) {
      facts.add(soldOut ? paused(room.eventId()) : resumed(room.eventId(), count.seatsLeft()));
    }
    long waiting = lastPosition - room.admittedThrough();
    return budget(locked, waiting, count)
        .flatMap(admit -> record(locked, lastPosition, soldOut, admit, facts));
  }

  private Mono<AdmissionBudget> budget(Locked locked, long waiting, SeatsInPlay.Count count) {
    Room room = locked.room();
    if (count.soldOut() || waiting <= 0) {
      return Mono.just(new AdmissionBudget(0, Math.min(locked.credit(), 1)));
    }
    Duration gap =
        locked.tickedAt() == null
            ? Duration.ZERO
            : Duration.between(locked.tickedAt(), locked.now());
    if (!room.settings().adaptive()) {
      return Mono.just(
          AdmissionBudget.atFixedRate(
              room.settings().admissionsPerMinute().getAsInt(), locked.credit(), gap, waiting));
    }
    return seats
        .admittedNotYetAsking(room, locked.now())
        .map(
            asking ->
                AdmissionBudget.asBookingKeepsUp(
                    count.seatsLeft(), count.undecided(), asking, waiting, ceiling(gap)));
  }

  private long ceiling(Duration gap) {
    Duration counted =
        gap.compareTo(AdmissionBudget.LONGEST_GAP) > 0 ? AdmissionBudget.LONGEST_GAP : gap;
    return Math.max(1, adaptiveCeilingPerSecond * counted.toMillis() / 1000);
  }

  private Mono<Void> record(
      Locked locked,
      long lastPosition,
      boolean soldOut,
      AdmissionBudget budget,
      List<SpecificRecord> facts) {
    Room room = locked.room();
    long from = room.admittedThrough() + 1;
    long through = room.admittedThrough() + budget.admit();
    Mono<Void> admitted = Mono.empty();
    if (budget.admit() > 0) {
      facts.add(
          BuyersAdmitted.newBuilder()
              .setId(UUID.randomUUID().toString())
              .setOccurredAt(locked.now())
              .setEventId(room.eventId())
              .setFromPosition(from)
              .setToPosition(through)
              .build());
      admitted =
          database
              .sql(
                  "INSERT INTO room_admissions (event_id, to_position, from_position, admitted_at)"
                      + " VALUES ($1, $2, $3, $4)")
              .bind(0, room.eventId())
              .bind(1, through)
              .bind(2, from)
              .bind(3, OffsetDateTime.ofInstant(locked.now(), ZoneOffset.UTC))
              .then();
    }
    Mono<Void> update =
        database
            .sql(
                "UPDATE waiting_rooms SET drawn = true, last_position = $2, admitted_through = $3,"
                    + " credit = $4, ticked_at = $5, sold_out = $6 WHERE event_id = $1")
            .bind(0, room.eventId())
            .bind(1, lastPosition)
            .bind(2, through)
            .bind(3, budget.credit())
            .bind(4, OffsetDateTime.ofInstant(locked.now(), ZoneOffset.UTC))
            .bind(5, soldOut)
            .then();
    Mono<Void> published =
        Flux.fromIterable(facts).concatMap(fact -> outbox.append(room.eventId(), fact)).then();
    Mono<Void> notified =
        facts.isEmpty() ? Mono.empty() : R2dbcRooms.announce(database, room.eventId());
    return update.then(admitted).then(published).then(notified);
  }

  /** The pre-queue in the order of its draw gets the first places; returns the last place given. */
  private Mono<Long> draw(Room room, List<SpecificRecord> facts) {
    return database
        .sql(
            "WITH ordered AS (SELECT customer_id, row_number() OVER (ORDER BY draw) AS n"
                + " FROM queue_places WHERE event_id = $1 AND position IS NULL)"
                + " UPDATE queue_places p SET position = $2 + o.n FROM ordered o"
                + " WHERE p.event_id = $1 AND p.customer_id = o.customer_id")
        .bind(0, room.eventId())
        .bind(1, room.lastPosition())
        .fetch()
        .rowsUpdated()
        .map(
            drawn -> {
              facts.add(
                  QueueOrderDrawn.newBuilder()
                      .setId(UUID.randomUUID().toString())
                      .setOccurredAt(Instant.now())
                      .setEventId(room.eventId())
                      .setPreQueueSize(drawn)
                      .build());
              return room.lastPosition() + drawn;
            });
  }

  private static SpecificRecord paused(String eventId) {
    return AdmissionPaused.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEventId(eventId)
        .setReason(PauseReason.SOLD_OUT)
        .build();
  }

  private static SpecificRecord resumed(String eventId, long seats) {
    return AdmissionResumed.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEventId(eventId)
        .setSeatsOnSale((int) Math.min(Integer.MAX_VALUE, seats))
        .build();
  }
}
