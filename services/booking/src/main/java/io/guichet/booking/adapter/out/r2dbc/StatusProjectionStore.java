package io.guichet.booking.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes the reservation status projection. A batch of events and the positions after them commit
 * in one transaction (rule 3), so a redelivered or replayed batch changes nothing. Changed
 * reservation ids are announced with {@code NOTIFY}, which PostgreSQL delivers on commit to every
 * instance listening ({@link StatusNotifications}).
 *
 * <p>Requests travel on another topic than outcomes, so an outcome may be projected before its
 * request: a request never overwrites a status, and each outcome applies only from the statuses it
 * can follow.
 */
public final class StatusProjectionStore {

  /** The PostgreSQL channel on which changed reservation ids are announced. */
  public static final String CHANNEL = "reservation_status";

  private static final int NOTIFY_CHUNK = 150;

  private final DatabaseClient database;
  private final TransactionalOperator transactions;

  public StatusProjectionStore(DatabaseClient database, TransactionalOperator transactions) {
    this.database = database;
    this.transactions = transactions;
  }

  /** Where the consumer stands in each of these partitions, as stored. */
  public Mono<Map<Position, Long>> positions(String consumer) {
    return database
        .sql("SELECT topic, partition_no, next_offset FROM consumed_offsets WHERE consumer = $1")
        .bind(0, consumer)
        .map(
            row ->
                Map.entry(
                    new Position(
                        row.get("topic", String.class), row.get("partition_no", Integer.class)),
                    row.get("next_offset", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /** Applies the events and stores the positions after them, all or nothing. */
  public Mono<Void> apply(String consumer, List<SpecificRecord> events, Map<Position, Long> next) {
    Set<String> changed = new LinkedHashSet<>();
    Mono<Void> work =
        Flux.fromIterable(events)
            .concatMap(event -> write(event, changed))
            .thenMany(
                Flux.fromIterable(next.entrySet())
                    .concatMap(entry -> savePosition(consumer, entry.getKey(), entry.getValue())))
            .thenMany(Flux.defer(() -> Flux.fromIterable(chunks(changed))).concatMap(this::notify))
            .then();
    return work.as(transactions::transactional);
  }

  private Mono<Long> write(SpecificRecord event, Set<String> changed) {
    GenericExecuteSpec statement = statementFor(event);
    if (statement == null) {
      return Mono.empty();
    }
    return statement
        .fetch()
        .rowsUpdated()
        .doOnNext(
            rows -> {
              if (rows > 0) {
                changed.add(reservationId(event));
              }
            });
  }

  private GenericExecuteSpec statementFor(SpecificRecord event) {
    if (event instanceof ReservationRequested requested) {
      return database
          .sql(
              "INSERT INTO reservation_status (reservation_id, event_id, offer_id, customer_id,"
                  + " quantity, status, updated_at) VALUES ($1, $2, $3, $4, $5, 'REQUESTED', $6)"
                  + " ON CONFLICT (reservation_id) DO UPDATE SET quantity ="
                  + " COALESCE(reservation_status.quantity, EXCLUDED.quantity)"
                  + " WHERE reservation_status.quantity IS NULL")
          .bind(0, requested.getReservationId())
          .bind(1, requested.getEventId())
          .bind(2, requested.getOfferId())
          .bind(3, requested.getCustomerId())
          .bind(4, requested.getQuantity())
          .bind(5, time(requested.getOccurredAt()));
    }
    if (event instanceof SeatsHeld held) {
      return outcome(
              held.getReservationId(),
              held.getEventId(),
              held.getOfferId(),
              held.getCustomerId(),
              "HELD",
              "'REQUESTED'",
              held.getOccurredAt())
          .bind(6, held.getQuantity())
          .bind(7, held.getSeats())
          .bind(8, held.getAmountMinor())
          .bind(9, held.getCurrency())
          .bind(10, time(held.getExpiresAt()))
          .bindNull(11, String.class)
          .bindNull(12, String.class);
    }
    if (event instanceof ReservationRejected rejected) {
      return empty(
          outcome(
              rejected.getReservationId(),
              rejected.getEventId(),
              rejected.getOfferId(),
              rejected.getCustomerId(),
              "REJECTED",
              "'REQUESTED'",
              rejected.getOccurredAt()),
          rejected.getReason().name(),
          rejected.getDetail());
    }
    if (event instanceof HoldExpired expired) {
      return empty(
          outcome(
              expired.getReservationId(),
              expired.getEventId(),
              expired.getOfferId(),
              expired.getCustomerId(),
              "EXPIRED",
              "'HELD'",
              expired.getOccurredAt()),
          null,
          null);
    }
    if (event instanceof ReservationConfirmed confirmed) {
      return outcome(
              confirmed.getReservationId(),
              confirmed.getEventId(),
              confirmed.getOfferId(),
              confirmed.getCustomerId(),
              "CONFIRMED",
              "'HELD'",
              confirmed.getOccurredAt())
          .bind(6, confirmed.getQuantity())
          .bind(7, confirmed.getSeats())
          .bind(8, confirmed.getAmountMinor())
          .bind(9, confirmed.getCurrency())
          .bindNull(10, OffsetDateTime.class)
          .bindNull(11, String.class)
          .bindNull(12, String.class);
    }
    if (event instanceof ReservationCancelled cancelled) {
      return empty(
          outcome(
              cancelled.getReservationId(),
              cancelled.getEventId(),
              cancelled.getOfferId(),
              cancelled.getCustomerId(),
              "CANCELLED",
              "'REQUESTED', 'HELD'",
              cancelled.getOccurredAt()),
          null,
          cancelled.getReason());
    }
    return null;
  }

  /**
   * An outcome: inserted if its request was not projected yet, else applied if the current status
   * is one it can follow. Parameters $7 to $13 are the outcome's own values; null keeps the old.
   */
  private GenericExecuteSpec outcome(
      String reservation,
      String event,
      String offer,
      String customer,
      String status,
      String from,
      Instant occurredAt) {
    return database
        .sql(
            "INSERT INTO reservation_status (reservation_id, event_id, offer_id, customer_id,"
                + " status, updated_at, quantity, seats, amount_minor, currency, expires_at,"
                + " reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
                + " $13) ON CONFLICT (reservation_id) DO UPDATE SET status = EXCLUDED.status,"
                + " updated_at = EXCLUDED.updated_at,"
                + " quantity = COALESCE(EXCLUDED.quantity, reservation_status.quantity),"
                + " seats = COALESCE(EXCLUDED.seats, reservation_status.seats),"
                + " amount_minor = COALESCE(EXCLUDED.amount_minor, reservation_status.amount_minor),"
                + " currency = COALESCE(EXCLUDED.currency, reservation_status.currency),"
                + " expires_at = EXCLUDED.expires_at, reason = EXCLUDED.reason,"
                + " detail = EXCLUDED.detail, version = reservation_status.version + 1"
                + " WHERE reservation_status.status IN ("
                + from
                + ")")
        .bind(0, reservation)
        .bind(1, event)
        .bind(2, offer)
        .bind(3, customer)
        .bind(4, status)
        .bind(5, time(occurredAt));
  }

  private static GenericExecuteSpec empty(
      GenericExecuteSpec outcome, String reason, String detail) {
    GenericExecuteSpec spec =
        outcome
            .bindNull(6, Integer.class)
            .bindNull(7, Integer.class)
            .bindNull(8, Long.class)
            .bindNull(9, String.class)
            .bindNull(10, OffsetDateTime.class);
    spec = reason == null ? spec.bindNull(11, String.class) : spec.bind(11, reason);
    return detail == null ? spec.bindNull(12, String.class) : spec.bind(12, detail);
  }

  private Mono<Long> savePosition(String consumer, Position position, long next) {
    return database
        .sql(
            "INSERT INTO consumed_offsets (consumer, topic, partition_no, next_offset)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (consumer, topic, partition_no)"
                + " DO UPDATE SET next_offset = EXCLUDED.next_offset")
        .bind(0, consumer)
        .bind(1, position.topic())
        .bind(2, position.partition())
        .bind(3, next)
        .fetch()
        .rowsUpdated();
  }

  private Mono<Void> notify(String ids) {
    return database.sql("SELECT pg_notify($1, $2)").bind(0, CHANNEL).bind(1, ids).then();
  }

  private static List<String> chunks(Set<String> ids) {
    List<String> chunks = new ArrayList<>();
    List<String> all = new ArrayList<>(ids);
    for (int i = 0; i < all.size(); i += NOTIFY_CHUNK) {
      chunks.add(String.join(",", all.subList(i, Math.min(all.size(), i + NOTIFY_CHUNK))));
    }
    return chunks;
  }

  private static String reservationId(SpecificRecord event) {
    return event.get(event.getSchema().getField("reservationId").pos()).toString();
  }

  private static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * A partition of a topic.
   *
   * @param topic the topic
   * @param partition the partition
   */
  public record Position(String topic, int partition) {}
}
