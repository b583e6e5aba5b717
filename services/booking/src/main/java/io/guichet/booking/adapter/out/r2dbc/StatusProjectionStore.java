package io.guichet.booking.adapter.out.r2dbc;

import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.outbox.ChangeNotifications;
import io.guichet.outbox.PositionedConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes the reservation status projection. A batch of events and the positions after them commit
 * in one transaction (rule 3), so a redelivered or replayed batch changes nothing. Changed
 * reservation ids are announced with {@code NOTIFY}, which PostgreSQL delivers on commit to every
 * instance listening ({@link io.guichet.outbox.ChangeNotifications}).
 *
 * <p>A launch brings thousands of events a second, so a batch is written with a few set-based
 * statements rather than one statement per event: it is cut into segments in which each reservation
 * appears once (its events keep their order across segments), and each segment is one {@code INSERT
 * ... SELECT FROM unnest(...)} for requests and one for outcomes.
 *
 * <p>Requests travel on another topic than outcomes, so an outcome may be projected before its
 * request: a request never overwrites a status, and each outcome applies only from the statuses it
 * can follow.
 */
public final class StatusProjectionStore implements PositionedConsumer.Projector {

  /** The PostgreSQL channel on which changed reservation ids are announced. */
  public static final String CHANNEL = "reservation_status";

  private static final String REQUESTS =
      "INSERT INTO reservation_status (reservation_id, event_id, offer_id, customer_id, quantity,"
          + " status, updated_at)"
          + " SELECT r, e, o, c, q, 'REQUESTED', to_timestamp(t / 1000.0)"
          + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[])"
          + " AS u(r, e, o, c, q, t)"
          + " ON CONFLICT (reservation_id) DO UPDATE SET quantity = EXCLUDED.quantity"
          + " WHERE reservation_status.quantity IS NULL"
          + " RETURNING reservation_id";

  /** Each outcome applies only from the statuses it can follow. */
  private static final String OUTCOMES =
      "INSERT INTO reservation_status (reservation_id, event_id, offer_id, customer_id, status,"
          + " updated_at, quantity, seats, amount_minor, currency, expires_at, reason, detail,"
          + " assigned_seats)"
          + " SELECT r, e, o, c, s, to_timestamp(t / 1000.0), q, n, a, cur,"
          + " to_timestamp(x / 1000.0), why, d, l"
          + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
          + " $6::bigint[], $7::int[], $8::int[], $9::bigint[], $10::text[], $11::bigint[],"
          + " $12::text[], $13::text[], $14::text[])"
          + " AS u(r, e, o, c, s, t, q, n, a, cur, x, why, d, l)"
          + " ON CONFLICT (reservation_id) DO UPDATE SET status = EXCLUDED.status,"
          + " updated_at = EXCLUDED.updated_at,"
          + " quantity = COALESCE(EXCLUDED.quantity, reservation_status.quantity),"
          + " seats = COALESCE(EXCLUDED.seats, reservation_status.seats),"
          + " assigned_seats = COALESCE(EXCLUDED.assigned_seats, reservation_status.assigned_seats),"
          + " amount_minor = COALESCE(EXCLUDED.amount_minor, reservation_status.amount_minor),"
          + " currency = COALESCE(EXCLUDED.currency, reservation_status.currency),"
          + " expires_at = EXCLUDED.expires_at, reason = EXCLUDED.reason,"
          + " detail = EXCLUDED.detail, version = reservation_status.version + 1"
          + " WHERE (EXCLUDED.status IN ('HELD', 'REJECTED')"
          + "   AND reservation_status.status = 'REQUESTED')"
          + " OR (EXCLUDED.status IN ('CONFIRMED', 'EXPIRED') AND reservation_status.status = 'HELD')"
          + " OR (EXCLUDED.status = 'CANCELLED'"
          + "   AND reservation_status.status IN ('REQUESTED', 'HELD'))"
          + " RETURNING reservation_id";

  private final DatabaseClient database;
  private final TransactionalOperator transactions;

  public StatusProjectionStore(DatabaseClient database, TransactionalOperator transactions) {
    this.database = database;
    this.transactions = transactions;
  }

  @Override
  public Mono<Void> apply(
      List<ConsumerRecord<String, SpecificRecord>> records, Mono<Void> savePositions) {
    return applyEvents(records.stream().map(ConsumerRecord::value).toList(), savePositions);
  }

  /** Applies the events and stores the positions after them, all or nothing. */
  public Mono<Void> applyEvents(List<SpecificRecord> events, Mono<Void> savePositions) {
    Set<String> changed = new LinkedHashSet<>();
    Mono<Void> work =
        Flux.fromIterable(segments(events))
            .concatMap(segment -> write(segment, changed))
            .then(savePositions)
            .then(Mono.defer(() -> ChangeNotifications.announce(database, CHANNEL, changed)));
    return work.as(transactions::transactional);
  }

  /** Cuts the events where a reservation comes again, so each segment holds it at most once. */
  private static List<List<Row>> segments(List<SpecificRecord> events) {
    List<List<Row>> segments = new ArrayList<>();
    List<Row> current = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (SpecificRecord event : events) {
      Row row = Row.of(event);
      if (row == null) {
        continue;
      }
      if (!seen.add(row.reservation())) {
        segments.add(current);
        current = new ArrayList<>();
        seen.clear();
        seen.add(row.reservation());
      }
      current.add(row);
    }
    if (!current.isEmpty()) {
      segments.add(current);
    }
    return segments;
  }

  private Mono<Void> write(List<Row> segment, Set<String> changed) {
    List<Row> requests = segment.stream().filter(row -> row.status().equals("REQUESTED")).toList();
    List<Row> outcomes = segment.stream().filter(row -> !row.status().equals("REQUESTED")).toList();
    return upsert(REQUESTS, requests, false, changed)
        .then(upsert(OUTCOMES, outcomes, true, changed));
  }

  private Mono<Void> upsert(String sql, List<Row> rows, boolean outcome, Set<String> changed) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    DatabaseClient.GenericExecuteSpec spec =
        database
            .sql(sql)
            .bind(0, rows.stream().map(Row::reservation).toArray(String[]::new))
            .bind(1, rows.stream().map(Row::event).toArray(String[]::new))
            .bind(2, rows.stream().map(Row::offer).toArray(String[]::new))
            .bind(3, rows.stream().map(Row::customer).toArray(String[]::new));
    if (outcome) {
      spec =
          spec.bind(4, rows.stream().map(Row::status).toArray(String[]::new))
              .bind(5, rows.stream().map(Row::occurredAtMillis).toArray(Long[]::new))
              .bind(6, rows.stream().map(Row::quantity).toArray(Integer[]::new))
              .bind(7, rows.stream().map(Row::seats).toArray(Integer[]::new))
              .bind(8, rows.stream().map(Row::amountMinor).toArray(Long[]::new))
              .bind(9, rows.stream().map(Row::currency).toArray(String[]::new))
              .bind(10, rows.stream().map(Row::expiresAtMillis).toArray(Long[]::new))
              .bind(11, rows.stream().map(Row::reason).toArray(String[]::new))
              .bind(12, rows.stream().map(Row::detail).toArray(String[]::new))
              .bind(13, rows.stream().map(Row::assignedSeats).toArray(String[]::new));
    } else {
      spec =
          spec.bind(4, rows.stream().map(Row::quantity).toArray(Integer[]::new))
              .bind(5, rows.stream().map(Row::occurredAtMillis).toArray(Long[]::new));
    }
    return spec.map(row -> row.get("reservation_id", String.class))
        .all()
        .doOnNext(changed::add)
        .then();
  }

  /** One event as the row values it sets; null values keep what the row has. */
  private record Row(
      String reservation,
      String event,
      String offer,
      String customer,
      String status,
      long occurredAtMillis,
      Integer quantity,
      Integer seats,
      Long amountMinor,
      String currency,
      Long expiresAtMillis,
      String reason,
      String detail,
      String assignedSeats) {

    Row(
        String reservation,
        String event,
        String offer,
        String customer,
        String status,
        long occurredAtMillis,
        Integer quantity,
        Integer seats,
        Long amountMinor,
        String currency,
        Long expiresAtMillis,
        String reason,
        String detail) {
      this(
          reservation,
          event,
          offer,
          customer,
          status,
          occurredAtMillis,
          quantity,
          seats,
          amountMinor,
          currency,
          expiresAtMillis,
          reason,
          detail,
          null);
    }

    static Row of(SpecificRecord fact) {
      if (fact instanceof ReservationRequested r) {
        return new Row(
            r.getReservationId(),
            r.getEventId(),
            r.getOfferId(),
            r.getCustomerId(),
            "REQUESTED",
            r.getOccurredAt().toEpochMilli(),
            r.getQuantity(),
            null,
            null,
            null,
            null,
            null,
            null);
      }
      if (fact instanceof SeatsHeld h) {
        return new Row(
            h.getReservationId(),
            h.getEventId(),
            h.getOfferId(),
            h.getCustomerId(),
            "HELD",
            h.getOccurredAt().toEpochMilli(),
            h.getQuantity(),
            h.getSeats(),
            h.getAmountMinor(),
            h.getCurrency(),
            h.getExpiresAt().toEpochMilli(),
            null,
            null,
            AssignedSeats.write(
                h.getAssignedSeats().stream()
                    .map(seat -> new SeatRef(seat.getSection(), seat.getRow(), seat.getSeat()))
                    .toList()));
      }
      if (fact instanceof ReservationRejected r) {
        return new Row(
            r.getReservationId(),
            r.getEventId(),
            r.getOfferId(),
            r.getCustomerId(),
            "REJECTED",
            r.getOccurredAt().toEpochMilli(),
            null,
            null,
            null,
            null,
            null,
            r.getReason().name(),
            r.getDetail());
      }
      if (fact instanceof HoldExpired x) {
        return new Row(
            x.getReservationId(),
            x.getEventId(),
            x.getOfferId(),
            x.getCustomerId(),
            "EXPIRED",
            x.getOccurredAt().toEpochMilli(),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
      }
      if (fact instanceof ReservationConfirmed c) {
        return new Row(
            c.getReservationId(),
            c.getEventId(),
            c.getOfferId(),
            c.getCustomerId(),
            "CONFIRMED",
            c.getOccurredAt().toEpochMilli(),
            c.getQuantity(),
            c.getSeats(),
            c.getAmountMinor(),
            c.getCurrency(),
            null,
            null,
            null,
            AssignedSeats.write(
                c.getAssignedSeats().stream()
                    .map(seat -> new SeatRef(seat.getSection(), seat.getRow(), seat.getSeat()))
                    .toList()));
      }
      if (fact instanceof ReservationCancelled c) {
        return new Row(
            c.getReservationId(),
            c.getEventId(),
            c.getOfferId(),
            c.getCustomerId(),
            "CANCELLED",
            c.getOccurredAt().toEpochMilli(),
            null,
            null,
            null,
            null,
            null,
            null,
            c.getReason());
      }
      return null;
    }
  }
}
