package io.guichet.query.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.booking.WaitingListUpdated;
import io.guichet.events.gate.ScanOutcome;
import io.guichet.events.gate.ScanRejectionReason;
import io.guichet.events.gate.TicketScanned;
import io.guichet.events.payment.InvoiceIssued;
import io.guichet.events.payment.InvoiceKind;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.events.payment.PaymentFailed;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.outbox.ChangeNotifications;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.query.domain.ReservationStatus;
import io.guichet.schemas.Topics;
import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import java.time.Instant;
import java.util.ArrayList;
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
 * Projects reservations, tickets, scans and sales into the read models of one schema ({@link
 * ReadModelSchema}); the availability has a projection of its own ({@link AvailabilityProjection}).
 * A poll's records, the {@code NOTIFY} of what changed and the consumer's positions commit in one
 * transaction, so a redelivery or a restart changes nothing and listeners hear only of committed
 * changes.
 *
 * <p>Sales are counted by the reservation's previous outcome (its {@code allocation}):
 * booking.reservations is ordered per reservation, so each confirmation counts once.
 */
public final class ReadModelProjection implements PositionedConsumer.Projector {

  /** The topics the reservations, tickets and sales are made of (availability has its own). */
  public static final List<String> TOPICS =
      List.of(
          Topics.RESERVATION_REQUESTS.name(),
          Topics.RESERVATIONS.name(),
          Topics.PAYMENTS.name(),
          Topics.TICKETS.name(),
          Topics.SCANS.name());

  /** The {@code NOTIFY} channel of changed reservations (their ids). */
  public static final String RESERVATIONS_CHANNEL = "query_reservations";

  /** The {@code NOTIFY} channel of events whose availability changed (their ids). */
  public static final String AVAILABILITY_CHANNEL = "query_availability";

  private final DatabaseClient database;
  private final TransactionalOperator transactions;
  private final ObservationRegistry observations;
  private final String schema;

  /**
   * @param schema the schema whose tables it writes (the serving one, or one being rebuilt)
   */
  public ReadModelProjection(
      DatabaseClient database,
      TransactionalOperator transactions,
      ObservationRegistry observations,
      String schema) {
    this.database = database;
    this.transactions = transactions;
    this.observations = observations;
    this.schema = schema;
  }

  /** What a batch changed, to announce before it commits. */
  private static final class Changes {
    final Set<String> reservations = new LinkedHashSet<>();
  }

  @Override
  public Mono<Void> apply(
      List<ConsumerRecord<String, SpecificRecord>> records, Mono<Void> savePositions) {
    return Mono.defer(
        () -> {
          Changes changes = new Changes();
          return Flux.fromIterable(segments(records))
              .concatMap(
                  segment ->
                      segment.size() > 1
                          ? run(segment, changes)
                          : PositionedConsumer.observed(
                              observations,
                              segment.get(0),
                              inRuns(segment.get(0).value())
                                  ? run(segment, changes)
                                  : project(segment.get(0).value(), changes)))
              .then(
                  Mono.defer(
                      () ->
                          ChangeNotifications.announce(
                              database, RESERVATIONS_CHANNEL, changes.reservations)))
              .then(savePositions)
              .as(transactions::transactional);
        });
  }

  /**
   * The facts a burst is made of, projected by {@link #run} (alone or together): each says a
   * reservation reached a status, or a ticket was issued, so it is idempotent by what it is about
   * (the reservation's step of that status, the ticket) and needs no record of its id.
   */
  private static boolean inRuns(SpecificRecord fact) {
    return fact instanceof ReservationRequested
        || fact instanceof SeatsHeld
        || fact instanceof ReservationConfirmed
        || fact instanceof ReservationRejected
        || fact instanceof TicketIssued;
  }

  /**
   * A burst is made of requests, holds, confirmations and rejections (and, once paid, tickets),
   * whose order against each other does not matter here (the statuses' ranks settle it; the seats
   * they move are the availability's projection's; they are written in the order of their ranks, so
   * a confirmation sees the hold before it): consecutive ones are projected together, one set-based
   * statement per kind for the run, as long as no reservation comes twice in it with the same kind
   * of fact. Every other fact is a segment of its own, projected in order.
   */
  private static List<List<ConsumerRecord<String, SpecificRecord>>> segments(
      List<ConsumerRecord<String, SpecificRecord>> records) {
    List<List<ConsumerRecord<String, SpecificRecord>>> segments = new ArrayList<>();
    List<ConsumerRecord<String, SpecificRecord>> run = new ArrayList<>();
    Set<String> inRun = new java.util.HashSet<>();
    for (ConsumerRecord<String, SpecificRecord> record : records) {
      SpecificRecord fact = record.value();
      if (inRuns(fact)) {
        String key =
            fact.getSchema().getName()
                + "/"
                + Facts.text(fact, fact instanceof TicketIssued ? "ticketId" : "reservationId");
        if (!inRun.add(key)) {
          segments.add(run);
          run = new ArrayList<>();
          inRun.clear();
          inRun.add(key);
        }
        run.add(record);
      } else {
        if (!run.isEmpty()) {
          segments.add(run);
          run = new ArrayList<>();
          inRun.clear();
        }
        segments.add(List.of(record));
      }
    }
    if (!run.isEmpty()) {
      segments.add(run);
    }
    return segments;
  }

  /**
   * Projects a run of requests, holds, confirmations, rejections and tickets: per kind, one
   * statement that records the reservations' steps of that status and, for the steps not recorded
   * before, upserts the reservations (tickets: one upsert, which a redelivery repeats unchanged). A
   * reservation goes through each status once: a fact of a status it already has (a redelivery, or
   * the same outcome published again) changes nothing, so no fact id is stored for these, the facts
   * a burst is made of (it was a third row per fact; issue 18). (A run of several is not observed
   * fact by fact: it causes nothing downstream.)
   */
  private Mono<Void> run(List<ConsumerRecord<String, SpecificRecord>> run, Changes changes) {
    List<ReservationRequested> requested = new ArrayList<>();
    List<SeatsHeld> held = new ArrayList<>();
    List<ReservationRejected> rejected = new ArrayList<>();
    List<ReservationConfirmed> confirmed = new ArrayList<>();
    List<TicketIssued> issued = new ArrayList<>();
    for (ConsumerRecord<String, SpecificRecord> record : run) {
      if (record.value() instanceof TicketIssued ticket) {
        issued.add(ticket);
      } else if (record.value() instanceof ReservationConfirmed confirmation) {
        confirmed.add(confirmation);
        changes.reservations.add(confirmation.getReservationId());
      } else if (record.value() instanceof ReservationRequested request) {
        requested.add(request);
        changes.reservations.add(request.getReservationId());
      } else if (record.value() instanceof SeatsHeld hold) {
        held.add(hold);
        changes.reservations.add(hold.getReservationId());
      } else if (record.value() instanceof ReservationRejected rejection) {
        rejected.add(rejection);
        changes.reservations.add(rejection.getReservationId());
      }
    }
    Mono<Void> requests =
        requested.isEmpty()
            ? Mono.empty()
            : runOf(
                ReservationStatus.REQUESTED,
                requested.stream().map(ReservationRequested::getId).toArray(String[]::new),
                requested.stream()
                    .map(ReservationRequested::getReservationId)
                    .toArray(String[]::new),
                requested.stream().map(ReservationRequested::getCustomerId).toArray(String[]::new),
                requested.stream().map(ReservationRequested::getEventId).toArray(String[]::new),
                requested.stream().map(ReservationRequested::getOfferId).toArray(String[]::new),
                requested.stream().map(r -> r.getOccurredAt().toEpochMilli()).toArray(Long[]::new),
                List.of(
                    new RunColumn(
                        "quantity",
                        "int",
                        requested.stream()
                            .map(ReservationRequested::getQuantity)
                            .toArray(Integer[]::new),
                        KEEP)));
    Mono<Void> holds =
        held.isEmpty()
            ? Mono.empty()
            : runOf(
                ReservationStatus.HELD,
                held.stream().map(SeatsHeld::getId).toArray(String[]::new),
                held.stream().map(SeatsHeld::getReservationId).toArray(String[]::new),
                held.stream().map(SeatsHeld::getCustomerId).toArray(String[]::new),
                held.stream().map(SeatsHeld::getEventId).toArray(String[]::new),
                held.stream().map(SeatsHeld::getOfferId).toArray(String[]::new),
                held.stream().map(h -> h.getOccurredAt().toEpochMilli()).toArray(Long[]::new),
                List.of(
                    new RunColumn(
                        "quantity",
                        "int",
                        held.stream().map(SeatsHeld::getQuantity).toArray(Integer[]::new),
                        SET),
                    new RunColumn(
                        "seats",
                        "int",
                        held.stream().map(SeatsHeld::getSeats).toArray(Integer[]::new),
                        SET),
                    new RunColumn(
                        "amount_minor",
                        "bigint",
                        held.stream().map(SeatsHeld::getAmountMinor).toArray(Long[]::new),
                        SET),
                    new RunColumn(
                        "currency",
                        "text",
                        held.stream().map(SeatsHeld::getCurrency).toArray(String[]::new),
                        SET),
                    new RunColumn(
                        "expires_at",
                        "bigint",
                        held.stream()
                            .map(h -> h.getExpiresAt().toEpochMilli())
                            .toArray(Long[]::new),
                        SET,
                        "to_timestamp(%s / 1000.0)"),
                    new RunColumn(
                        "access_code_id",
                        "text",
                        held.stream().map(SeatsHeld::getAccessCodeId).toArray(String[]::new),
                        SET),
                    new RunColumn(
                        "assigned_seats",
                        "text",
                        held.stream()
                            .map(h -> SeatsJson.write(h.getAssignedSeats()))
                            .toArray(String[]::new),
                        SET)));
    Mono<Void> rejections =
        rejected.isEmpty()
            ? Mono.empty()
            : runOf(
                ReservationStatus.REJECTED,
                rejected.stream().map(ReservationRejected::getId).toArray(String[]::new),
                rejected.stream().map(ReservationRejected::getReservationId).toArray(String[]::new),
                rejected.stream().map(ReservationRejected::getCustomerId).toArray(String[]::new),
                rejected.stream().map(ReservationRejected::getEventId).toArray(String[]::new),
                rejected.stream().map(ReservationRejected::getOfferId).toArray(String[]::new),
                rejected.stream().map(r -> r.getOccurredAt().toEpochMilli()).toArray(Long[]::new),
                List.of(
                    new RunColumn(
                        "reason",
                        "text",
                        rejected.stream().map(r -> r.getReason().name()).toArray(String[]::new),
                        SET)));
    return requests
        .then(holds)
        .then(confirmations(confirmed))
        .then(rejections)
        .then(tickets(issued));
  }

  /**
   * A run's tickets issued in one statement: an upsert that a redelivery repeats unchanged (a
   * ticket revoked first stays revoked).
   */
  private Mono<Void> tickets(List<TicketIssued> issued) {
    if (issued.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            sql(
                "WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
                    + "   $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[])"
                    + "   AS i(fact_id, ticket_id, reservation_id, customer_id, event_id, offer_id,"
                    + "   seat_index, at_ms)),"
                    + " upsert AS (INSERT INTO {schema}.tickets AS t (ticket_id, reservation_id,"
                    + "   customer_id, event_id, offer_id, seat_index, status, issued_at)"
                    + "   SELECT i.ticket_id, i.reservation_id, i.customer_id, i.event_id,"
                    + "   i.offer_id, i.seat_index, 'ISSUED', to_timestamp(i.at_ms / 1000.0)"
                    + "   FROM input i"
                    + "   ON CONFLICT (ticket_id) DO UPDATE SET"
                    + "   reservation_id = EXCLUDED.reservation_id,"
                    + "   customer_id = EXCLUDED.customer_id, offer_id = EXCLUDED.offer_id,"
                    + "   seat_index = EXCLUDED.seat_index, issued_at = EXCLUDED.issued_at,"
                    + "   status = COALESCE(t.status, 'ISSUED') RETURNING 1)"
                    + " SELECT count(*) AS written FROM upsert"))
        .bind(0, issued.stream().map(TicketIssued::getId).toArray(String[]::new))
        .bind(1, issued.stream().map(TicketIssued::getTicketId).toArray(String[]::new))
        .bind(2, issued.stream().map(TicketIssued::getReservationId).toArray(String[]::new))
        .bind(3, issued.stream().map(TicketIssued::getCustomerId).toArray(String[]::new))
        .bind(4, issued.stream().map(TicketIssued::getEventId).toArray(String[]::new))
        .bind(5, issued.stream().map(TicketIssued::getOfferId).toArray(String[]::new))
        .bind(6, issued.stream().map(TicketIssued::getSeatIndex).toArray(Integer[]::new))
        .bind(7, issued.stream().map(t -> t.getOccurredAt().toEpochMilli()).toArray(Long[]::new))
        .fetch()
        .all()
        .then();
  }

  /**
   * A run's confirmations in one statement: their steps are recorded and, for those not confirmed
   * before, the reservations move to CONFIRMED with what was paid and the sales of each offer (and
   * hour, UTC) grow by those whose reservation was not sold before.
   */
  private Mono<Void> confirmations(List<ReservationConfirmed> confirmed) {
    if (confirmed.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            sql(
                "WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
                    + "   $4::text[], $5::text[], $6::bigint[], $7::int[], $8::int[],"
                    + "   $9::bigint[], $10::text[]) AS i(fact_id, reservation_id, customer_id,"
                    + "   event_id, offer_id, at_ms, quantity, seats, amount_minor, currency)),"
                    + steps(11)
                    + " todo AS (SELECT i.*, to_timestamp(i.at_ms / 1000.0) AS at FROM input i"
                    + "   JOIN step s ON s.reservation_id = i.reservation_id),"
                    + " sold AS (SELECT t.* FROM todo t LEFT JOIN {schema}.reservations r"
                    + "   ON r.reservation_id = t.reservation_id"
                    + "   WHERE r.allocation IS DISTINCT FROM 'CONFIRMED'),"
                    + " upsert AS (INSERT INTO {schema}.reservations AS r (reservation_id,"
                    + "   customer_id, event_id, offer_id, status, status_rank, allocation,"
                    + "   created_at, updated_at, quantity, seats, amount_minor, currency, payment)"
                    + "   SELECT reservation_id, customer_id, event_id, offer_id, $11, $12, $11,"
                    + "   at, at, quantity, seats, amount_minor, currency, 'CAPTURED' FROM todo"
                    + MERGE_RESERVATION
                    + ", quantity = EXCLUDED.quantity, seats = EXCLUDED.seats,"
                    + " amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency,"
                    + " payment = CASE WHEN r.payment = 'REFUNDED' THEN r.payment"
                    + "   ELSE EXCLUDED.payment END"
                    + "   RETURNING 1),"
                    + " sales AS (INSERT INTO {schema}.offer_sales AS o (event_id, offer_id,"
                    + "   tickets_sold, revenue_minor) SELECT event_id, offer_id, sum(quantity),"
                    + "   sum(amount_minor) FROM sold GROUP BY event_id, offer_id"
                    + "   ON CONFLICT (event_id, offer_id) DO UPDATE SET"
                    + "   tickets_sold = o.tickets_sold + EXCLUDED.tickets_sold,"
                    + "   revenue_minor = o.revenue_minor + EXCLUDED.revenue_minor RETURNING 1),"
                    + " hourly AS (INSERT INTO {schema}.sales_by_hour AS s (event_id, offer_id,"
                    + "   hour, tickets, revenue_minor) SELECT event_id, offer_id,"
                    + "   date_trunc('hour', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',"
                    + "   sum(quantity), sum(amount_minor) FROM sold GROUP BY 1, 2, 3"
                    + "   ON CONFLICT (event_id, hour, offer_id) DO UPDATE"
                    + "   SET tickets = s.tickets + EXCLUDED.tickets,"
                    + "   revenue_minor = s.revenue_minor + EXCLUDED.revenue_minor RETURNING 1)"
                    + " SELECT (SELECT count(*) FROM upsert) + (SELECT count(*) FROM step)"
                    + " + (SELECT count(*) FROM sales) + (SELECT count(*) FROM hourly)"
                    + " AS written"))
        .bind(0, confirmed.stream().map(ReservationConfirmed::getId).toArray(String[]::new))
        .bind(
            1,
            confirmed.stream().map(ReservationConfirmed::getReservationId).toArray(String[]::new))
        .bind(2, confirmed.stream().map(ReservationConfirmed::getCustomerId).toArray(String[]::new))
        .bind(3, confirmed.stream().map(ReservationConfirmed::getEventId).toArray(String[]::new))
        .bind(4, confirmed.stream().map(ReservationConfirmed::getOfferId).toArray(String[]::new))
        .bind(5, confirmed.stream().map(c -> c.getOccurredAt().toEpochMilli()).toArray(Long[]::new))
        .bind(6, confirmed.stream().map(ReservationConfirmed::getQuantity).toArray(Integer[]::new))
        .bind(7, confirmed.stream().map(ReservationConfirmed::getSeats).toArray(Integer[]::new))
        .bind(8, confirmed.stream().map(ReservationConfirmed::getAmountMinor).toArray(Long[]::new))
        .bind(9, confirmed.stream().map(ReservationConfirmed::getCurrency).toArray(String[]::new))
        .bind(10, ReservationStatus.CONFIRMED.name())
        .bind(11, ReservationStatus.CONFIRMED.rank())
        .fetch()
        .all()
        .then();
  }

  /**
   * A column a run of facts writes: its name, the SQL type of its values, a value per fact, how it
   * updates an existing row, and how the value is written ({@code %s}: as it is).
   */
  private record RunColumn(
      String name, String type, Object[] values, String update, String select) {
    RunColumn(String name, String type, Object[] values, String update) {
      this(name, type, values, update, "%s");
    }
  }

  private Mono<Void> runOf(
      ReservationStatus status,
      String[] factIds,
      String[] reservationIds,
      String[] customerIds,
      String[] eventIds,
      String[] offerIds,
      Long[] occurredAtMillis,
      List<RunColumn> columns) {
    StringBuilder arrays = new StringBuilder();
    StringBuilder aliases = new StringBuilder();
    StringBuilder selected = new StringBuilder();
    StringBuilder names = new StringBuilder();
    StringBuilder updates = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      RunColumn column = columns.get(i);
      arrays.append(", $").append(10 + i).append("::").append(column.type()).append("[]");
      aliases.append(", c").append(i);
      selected.append(", ").append(String.format(column.select(), "c" + i));
      names.append(", ").append(column.name());
      updates.append(", ").append(String.format(column.update(), column.name()));
    }
    var statement =
        database
            .sql(
                sql(
                    "WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
                        + "   $4::text[], $5::text[], $6::bigint[]"
                        + arrays
                        + ") AS i(fact_id, reservation_id, customer_id, event_id, offer_id, at_ms"
                        + aliases
                        + ")),"
                        + steps(7)
                        + " todo AS (SELECT i.*, to_timestamp(i.at_ms / 1000.0) AS at FROM input i"
                        + "   JOIN step s ON s.reservation_id = i.reservation_id),"
                        + " upsert AS (INSERT INTO {schema}.reservations AS r (reservation_id,"
                        + "   customer_id, event_id, offer_id, status, status_rank, allocation,"
                        + "   created_at, updated_at"
                        + names
                        + ") SELECT reservation_id, customer_id, event_id, offer_id, $7, $8, $9,"
                        + "   at, at"
                        + selected
                        + " FROM todo"
                        + MERGE_RESERVATION
                        + updates
                        + "   RETURNING 1)"
                        + " SELECT (SELECT count(*) FROM upsert) + (SELECT count(*) FROM step)"
                        + " AS written"))
            .bind(0, factIds)
            .bind(1, reservationIds)
            .bind(2, customerIds)
            .bind(3, eventIds)
            .bind(4, offerIds)
            .bind(5, occurredAtMillis)
            .bind(6, status.name())
            .bind(7, status.rank())
            .bind(8, allocation(status));
    for (int i = 0; i < columns.size(); i++) {
      statement = statement.bind(9 + i, columns.get(i).values());
    }
    return statement.fetch().all().then();
  }

  private String sql(String text) {
    return text.replace("{schema}", schema);
  }

  /** Projects the event unless its id was projected before. */
  private Mono<Void> once(SpecificRecord event, Mono<Void> projection) {
    return Facts.once(database, sql("{schema}.projected_events"), event, projection);
  }

  /** A fact that is not in runs ({@link #inRuns}), projected on its own. */
  private Mono<Void> project(SpecificRecord event, Changes changes) {
    if (event instanceof HoldExpired expired) {
      changes.reservations.add(expired.getReservationId());
      return released(
          event,
          expired.getReservationId(),
          expired.getCustomerId(),
          expired.getEventId(),
          expired.getOfferId(),
          expired.getSeats(),
          ReservationStatus.EXPIRED,
          null,
          expired.getOccurredAt());
    }
    if (event instanceof ReservationCancelled cancelled) {
      changes.reservations.add(cancelled.getReservationId());
      return released(
          event,
          cancelled.getReservationId(),
          cancelled.getCustomerId(),
          cancelled.getEventId(),
          cancelled.getOfferId(),
          cancelled.getSeats(),
          ReservationStatus.CANCELLED,
          cancelled.getReason(),
          cancelled.getOccurredAt());
    }
    if (event instanceof WaitingListUpdated updated) {
      return waitingList(updated);
    }
    return once(event, projectOther(event, changes));
  }

  /**
   * A waiting-list entry's new status, unless it already has a later one (a redelivery, or facts of
   * one entry projected again): idempotent by rank, as reservations are.
   */
  private Mono<Void> waitingList(WaitingListUpdated updated) {
    int rank =
        switch (updated.getStatus()) {
          case WAITING -> 0;
          case OFFERED -> 1;
          default -> 2;
        };
    return database
        .sql(
            sql(
                "INSERT INTO {schema}.waiting_list_entries AS w (entry_id, customer_id, event_id,"
                    + " offer_id, quantity, sequence, status, status_rank, reservation_id,"
                    + " offer_expires_at, detail, created_at, updated_at)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)"
                    + " ON CONFLICT (entry_id) DO UPDATE SET status = EXCLUDED.status,"
                    + " status_rank = EXCLUDED.status_rank,"
                    + " reservation_id = COALESCE(EXCLUDED.reservation_id, w.reservation_id),"
                    + " offer_expires_at = COALESCE(EXCLUDED.offer_expires_at,"
                    + " w.offer_expires_at), detail = EXCLUDED.detail,"
                    + " updated_at = EXCLUDED.updated_at"
                    + " WHERE EXCLUDED.status_rank > w.status_rank"))
        .bind(0, updated.getEntryId())
        .bind(1, updated.getCustomerId())
        .bind(2, updated.getEventId())
        .bind(3, updated.getOfferId())
        .bind(4, updated.getQuantity())
        .bind(5, updated.getSequence())
        .bind(6, updated.getStatus().name())
        .bind(7, rank)
        .bind(8, Parameters.in(R2dbcType.VARCHAR, updated.getReservationId()))
        .bind(
            9,
            Parameters.in(
                R2dbcType.TIMESTAMP_WITH_TIME_ZONE,
                updated.getOfferExpiresAt() == null
                    ? null
                    : updated.getOfferExpiresAt().atOffset(java.time.ZoneOffset.UTC)))
        .bind(10, Parameters.in(R2dbcType.VARCHAR, updated.getDetail()))
        .bind(11, updated.getOccurredAt().atOffset(java.time.ZoneOffset.UTC))
        .then();
  }

  private Mono<Void> projectOther(SpecificRecord event, Changes changes) {
    if (event instanceof PaymentCaptured captured) {
      changes.reservations.add(captured.getReservationId());
      return payment(
          captured.getReservationId(),
          captured.getCustomerId(),
          captured.getEventId(),
          "CAPTURED",
          null,
          0,
          captured.getOccurredAt());
    }
    if (event instanceof PaymentFailed failed) {
      changes.reservations.add(failed.getReservationId());
      return payment(
          failed.getReservationId(),
          failed.getCustomerId(),
          failed.getEventId(),
          "FAILED",
          failed.getReason().name(),
          0,
          failed.getOccurredAt());
    }
    if (event instanceof PaymentRefunded refunded) {
      changes.reservations.add(refunded.getReservationId());
      return refunded(refunded);
    }
    if (event instanceof InvoiceIssued invoice) {
      return invoiced(invoice);
    }
    if (event instanceof TicketRevoked revoked) {
      return revoked(revoked);
    }
    if (event instanceof TicketScanned scanned) {
      return scanned(scanned);
    }
    return Mono.empty();
  }

  // ---- reservations -----------------------------------------------------------------------

  /**
   * How a fact of a reservation updates its row: the status moves only up the ranks (a late request
   * never takes it back to REQUESTED), the allocation only to a known one, and the first and last
   * times widen.
   */
  private static final String MERGE_RESERVATION =
      " ON CONFLICT (reservation_id) DO UPDATE SET"
          + " status = CASE WHEN EXCLUDED.status_rank >= r.status_rank"
          + "   THEN EXCLUDED.status ELSE r.status END,"
          + " status_rank = GREATEST(r.status_rank, EXCLUDED.status_rank),"
          + " offer_id = COALESCE(r.offer_id, EXCLUDED.offer_id),"
          + " allocation = COALESCE(EXCLUDED.allocation, r.allocation),"
          + " created_at = LEAST(r.created_at, EXCLUDED.created_at),"
          + " updated_at = GREATEST(r.updated_at, EXCLUDED.updated_at),"
          + " version = r.version + 1";

  /**
   * Records the steps of a run's reservations ({@code input}: their ids and times; the status in
   * parameter {@code $status}, its rank in the next one); the steps not recorded before are {@code
   * step}: what is left of the run to project.
   */
  private static String steps(int status) {
    return " step AS (INSERT INTO {schema}.reservation_steps (reservation_id, status, status_rank,"
        + "   occurred_at) SELECT reservation_id, $"
        + status
        + ", $"
        + (status + 1)
        + ", to_timestamp(at_ms / 1000.0) FROM input"
        + "   ON CONFLICT (reservation_id, status) DO NOTHING RETURNING reservation_id),";
  }

  /** Where a status leaves the reservation's seats: none said yet for a request. */
  private static Object allocation(ReservationStatus status) {
    return status == ReservationStatus.REQUESTED
        ? io.r2dbc.spi.Parameters.in(String.class)
        : status.name();
  }

  /** How a column of a reservation fact updates an existing row. */
  private static final String SET = "%1$s = EXCLUDED.%1$s";

  private static final String KEEP = "%1$s = COALESCE(r.%1$s, EXCLUDED.%1$s)";

  /** A column a fact writes, with its value and how it updates an existing row. */
  private record Column(String name, Object value, String update) {}

  /**
   * Projects a fact of a reservation in one statement (a burst is made of these): unless its id was
   * projected before, inserts the reservation or moves it to this status if that ranks at least as
   * high as its current one (a late request never takes it back to REQUESTED), writes the columns,
   * and records the step. Emits where the reservation's seats were before (its last allocation, or
   * "" for none), or nothing for a duplicate.
   */
  private Mono<String> reservationFact(
      SpecificRecord event,
      String reservationId,
      String customerId,
      String eventId,
      String offerId,
      ReservationStatus status,
      Instant occurredAt,
      List<Column> columns) {
    StringBuilder names = new StringBuilder();
    StringBuilder values = new StringBuilder();
    StringBuilder updates = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      names.append(", ").append(column.name());
      values.append(", $").append(10 + i);
      updates.append(", ").append(String.format(column.update(), column.name()));
    }
    var statement =
        database
            .sql(
                sql(
                    "WITH fresh AS (INSERT INTO {schema}.projected_events (event_id) VALUES ($1)"
                        + "   ON CONFLICT (event_id) DO NOTHING RETURNING event_id),"
                        + " before AS (SELECT allocation FROM {schema}.reservations"
                        + "   WHERE reservation_id = $2),"
                        + " upsert AS (INSERT INTO {schema}.reservations AS r (reservation_id,"
                        + "   customer_id, event_id, offer_id, status, status_rank, allocation,"
                        + "   created_at, updated_at"
                        + names
                        + ") SELECT $2, $3, $4, $5, $6, $7, $8, $9, $9"
                        + values
                        + "   WHERE EXISTS (SELECT 1 FROM fresh)"
                        + MERGE_RESERVATION
                        + updates
                        + "   RETURNING 1),"
                        + " step AS (INSERT INTO {schema}.reservation_steps (reservation_id,"
                        + "   status, status_rank, occurred_at) SELECT $2, $6, $7, $9"
                        + "   WHERE EXISTS (SELECT 1 FROM fresh)"
                        + "   ON CONFLICT (reservation_id, status) DO NOTHING RETURNING 1)"
                        + " SELECT EXISTS (SELECT 1 FROM fresh) AS fresh,"
                        + " (SELECT allocation FROM before) AS before,"
                        + " (SELECT count(*) FROM upsert) + (SELECT count(*) FROM step) AS written"))
            .bind(0, Facts.id(event))
            .bind(1, reservationId)
            .bind(2, customerId)
            .bind(3, eventId)
            .bind(4, offerId)
            .bind(5, status.name())
            .bind(6, status.rank())
            .bind(7, allocation(status))
            .bind(8, Facts.at(occurredAt));
    for (int i = 0; i < columns.size(); i++) {
      Object value = columns.get(i).value();
      statement =
          statement.bind(9 + i, value == null ? io.r2dbc.spi.Parameters.in(String.class) : value);
    }
    return statement
        .map(
            row ->
                Boolean.TRUE.equals(row.get("fresh", Boolean.class))
                    ? java.util.Optional.of(
                        java.util.Optional.ofNullable(row.get("before", String.class)).orElse(""))
                    : java.util.Optional.<String>empty())
        .one()
        .flatMap(Mono::justOrEmpty);
  }

  /** A hold ended or a reservation was cancelled: its seats go back on sale. */
  private Mono<Void> released(
      SpecificRecord event,
      String reservationId,
      String customerId,
      String eventId,
      String offerId,
      int seats,
      ReservationStatus status,
      String reason,
      Instant occurredAt) {
    return reservationFact(
            event,
            reservationId,
            customerId,
            eventId,
            offerId,
            status,
            occurredAt,
            List.of(new Column("reason", reason, SET)))
        .flatMap(
            before ->
                before.equals("CONFIRMED")
                    ? unsold(reservationId, eventId, offerId)
                    : Mono.<Void>empty());
  }

  /** A sold reservation was cancelled: its tickets are no longer sold (its revenue stays). */
  private Mono<Void> unsold(String reservationId, String eventId, String offerId) {
    return database
        .sql(
            sql(
                "UPDATE {schema}.offer_sales o SET tickets_sold = GREATEST(0, o.tickets_sold"
                    + " - COALESCE(r.quantity, 0)) FROM {schema}.reservations r"
                    + " WHERE r.reservation_id = $3 AND o.event_id = $1 AND o.offer_id = $2"))
        .bind(0, eventId)
        .bind(1, offerId)
        .bind(2, reservationId)
        .then();
  }

  /**
   * A payment's outcome on its reservation. Payments come from their own topic and may be projected
   * before the reservation's first event: the row is then created, as requested, with what the
   * payment knows.
   */
  private Mono<Void> payment(
      String reservationId,
      String customerId,
      String eventId,
      String state,
      String reason,
      long refundedMinor,
      Instant at) {
    return database
        .sql(
            sql(
                "INSERT INTO {schema}.reservations AS r (reservation_id, customer_id, event_id,"
                    + " status, status_rank, payment, reason, refunded_minor, created_at,"
                    + " updated_at) VALUES ($1, $2, $3, 'REQUESTED', 0, $4, $5, $6, $7, $7)"
                    + " ON CONFLICT (reservation_id) DO UPDATE SET"
                    + " payment = CASE WHEN r.payment = 'REFUNDED'"
                    + "   OR (r.payment = 'CAPTURED' AND EXCLUDED.payment = 'FAILED')"
                    + "   THEN r.payment ELSE EXCLUDED.payment END,"
                    + " reason = CASE WHEN EXCLUDED.payment = 'FAILED' THEN EXCLUDED.reason"
                    + "   ELSE r.reason END,"
                    + " refunded_minor = r.refunded_minor + EXCLUDED.refunded_minor,"
                    + " updated_at = GREATEST(r.updated_at, EXCLUDED.updated_at),"
                    + " version = r.version + 1"))
        .bind(0, reservationId)
        .bind(1, customerId)
        .bind(2, eventId)
        .bind(3, state)
        .bind(4, reason == null ? io.r2dbc.spi.Parameters.in(String.class) : reason)
        .bind(5, refundedMinor)
        .bind(6, Facts.at(at))
        .then();
  }

  private Mono<Void> refunded(PaymentRefunded refunded) {
    return payment(
            refunded.getReservationId(),
            refunded.getCustomerId(),
            refunded.getEventId(),
            "REFUNDED",
            null,
            refunded.getAmountMinor(),
            refunded.getOccurredAt())
        .then(
            database
                .sql(
                    sql(
                        "INSERT INTO {schema}.offer_sales AS o (event_id, offer_id,"
                            + " refunded_minor) SELECT r.event_id, r.offer_id, $2"
                            + " FROM {schema}.reservations r WHERE r.reservation_id = $1"
                            + " AND r.offer_id IS NOT NULL ON CONFLICT (event_id, offer_id) DO"
                            + " UPDATE SET refunded_minor = o.refunded_minor"
                            + " + EXCLUDED.refunded_minor"))
                .bind(0, refunded.getReservationId())
                .bind(1, refunded.getAmountMinor())
                .then());
  }

  /** An invoice adds its net and tax to its offer's sales; a credit note takes them back. */
  private Mono<Void> invoiced(InvoiceIssued invoice) {
    long sign = invoice.getKind() == InvoiceKind.INVOICE ? 1 : -1;
    return database
        .sql(
            sql(
                "INSERT INTO {schema}.offer_sales AS o (event_id, offer_id, invoiced_net_minor,"
                    + " invoiced_tax_minor) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id,"
                    + " offer_id) DO UPDATE SET invoiced_net_minor = o.invoiced_net_minor"
                    + " + EXCLUDED.invoiced_net_minor, invoiced_tax_minor = o.invoiced_tax_minor"
                    + " + EXCLUDED.invoiced_tax_minor"))
        .bind(0, invoice.getEventId())
        .bind(1, invoice.getOfferId())
        .bind(2, sign * invoice.getNetMinor())
        .bind(3, sign * invoice.getTaxMinor())
        .then();
  }

  // ---- tickets and scans --------------------------------------------------------------------

  private Mono<Void> revoked(TicketRevoked revoked) {
    return database
        .sql(
            sql(
                "INSERT INTO {schema}.tickets (ticket_id, reservation_id, customer_id, event_id,"
                    + " status, revocation_reason, revoked_at)"
                    + " VALUES ($1, $2, $3, $4, 'REVOKED', $5, $6)"
                    + " ON CONFLICT (ticket_id) DO UPDATE SET status = 'REVOKED',"
                    + " revocation_reason = EXCLUDED.revocation_reason,"
                    + " revoked_at = EXCLUDED.revoked_at"))
        .bind(0, revoked.getTicketId())
        .bind(1, revoked.getReservationId())
        .bind(2, revoked.getCustomerId())
        .bind(3, revoked.getEventId())
        .bind(4, revoked.getReason().name())
        .bind(5, Facts.at(revoked.getOccurredAt()))
        .then();
  }

  private Mono<Void> scanned(TicketScanned scanned) {
    if (scanned.getEventId() == null) {
      // A payload that named no trustworthy event: nothing to count it against.
      return Mono.empty();
    }
    boolean accepted = scanned.getOutcome() == ScanOutcome.ACCEPTED;
    boolean duplicate = scanned.getRejectionReason() == ScanRejectionReason.DUPLICATE_OFFLINE;
    Mono<Void> gate =
        database
            .sql(
                sql(
                    "INSERT INTO {schema}.scans_by_gate AS g (event_id, gate, accepted, rejected,"
                        + " duplicates_offline) VALUES ($1, $2, $3, $4, $5)"
                        + " ON CONFLICT (event_id, gate) DO UPDATE SET"
                        + " accepted = g.accepted + EXCLUDED.accepted,"
                        + " rejected = g.rejected + EXCLUDED.rejected,"
                        + " duplicates_offline = g.duplicates_offline + EXCLUDED.duplicates_offline"))
            .bind(0, scanned.getEventId())
            .bind(1, scanned.getGate())
            .bind(2, accepted ? 1 : 0)
            .bind(3, accepted ? 0 : 1)
            .bind(4, duplicate ? 1 : 0)
            .then();
    if (duplicate) {
      return gate.then(
          database
              .sql(
                  sql(
                      "INSERT INTO {schema}.offline_duplicates (scan_id, event_id, ticket_id,"
                          + " gate, device, scanned_at, first_scanned_at, first_gate)"
                          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                          + " ON CONFLICT (scan_id) DO NOTHING"))
              .bind(0, scanned.getScanId())
              .bind(1, scanned.getEventId())
              .bind(2, Parameters.in(R2dbcType.VARCHAR, scanned.getTicketId()))
              .bind(3, scanned.getGate())
              .bind(4, Parameters.in(R2dbcType.VARCHAR, scanned.getDevice()))
              .bind(5, Facts.at(scanned.getOccurredAt()))
              .bind(
                  6,
                  Parameters.in(
                      R2dbcType.TIMESTAMP_WITH_TIME_ZONE,
                      scanned.getFirstScannedAt() == null
                          ? null
                          : Facts.at(scanned.getFirstScannedAt())))
              .bind(7, Parameters.in(R2dbcType.VARCHAR, scanned.getFirstGate()))
              .then());
    }
    if (!accepted || scanned.getTicketId() == null) {
      return gate;
    }
    return gate.then(
        database
            .sql(
                sql(
                    "INSERT INTO {schema}.tickets AS t (ticket_id, event_id, scanned_at,"
                        + " scanned_gate) VALUES ($1, $2, $3, $4) ON CONFLICT (ticket_id) DO"
                        + " UPDATE SET scanned_at = COALESCE(t.scanned_at, EXCLUDED.scanned_at),"
                        + " scanned_gate = COALESCE(t.scanned_gate, EXCLUDED.scanned_gate)"))
            .bind(0, scanned.getTicketId())
            .bind(1, scanned.getEventId())
            .bind(2, Facts.at(scanned.getOccurredAt()))
            .bind(3, scanned.getGate())
            .then());
  }
}
