package io.guichet.payment.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.EventCancelled;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Projects booking's outcomes into {@code payables}: what each held reservation costs, whose it is
 * and until when it is held. Payment never asks booking. Each change applies only from the status
 * it can follow, and a batch commits with its positions (rule 3), so a replay changes nothing.
 *
 * <p>It also records the refunds owed: for a captured payment that booking rejects, and for the
 * captured payments of a cancelled event ({@code catalog.events}).
 *
 * <p>A poll's events are written set-based, a handful of statements whatever their number: the
 * holds in one insert, then each kind of move in one update, then the refunds owed. That order
 * gives the state the events give one by one: a reservation's events come in the order booking
 * decided them (one partition), a hold is its first, and a rejection follows the move it can follow
 * (a hold that ended, was cancelled or is still running). Applied one by one, with four statements
 * even for a rejected request that was never held, a restart after a burst took minutes to learn
 * the holds made before it, and buyers could not pay for them meanwhile (issue 18).
 */
public final class PayablesProjection {

  private final DatabaseClient database;

  public PayablesProjection(DatabaseClient database) {
    this.database = database;
  }

  /** Writes a poll's events (the caller runs it in the batch's transaction, with its positions). */
  public Mono<Void> project(List<SpecificRecord> events) {
    List<SeatsHeld> held = new ArrayList<>();
    List<String> confirmed = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    List<String> cancelled = new ArrayList<>();
    List<ReservationRejected> rejected = new ArrayList<>();
    List<EventCancelled> eventsCancelled = new ArrayList<>();
    for (SpecificRecord event : events) {
      if (event instanceof SeatsHeld hold) {
        held.add(hold);
      } else if (event instanceof ReservationConfirmed confirmation) {
        confirmed.add(confirmation.getReservationId());
      } else if (event instanceof HoldExpired expiry) {
        expired.add(expiry.getReservationId());
      } else if (event instanceof ReservationCancelled cancellation) {
        cancelled.add(cancellation.getReservationId());
      } else if (event instanceof ReservationRejected rejection) {
        rejected.add(rejection);
      } else if (event instanceof EventCancelled cancellation) {
        eventsCancelled.add(cancellation);
      }
    }
    List<String> rejectedIds =
        rejected.stream().map(ReservationRejected::getReservationId).toList();
    return hold(held)
        .then(move(confirmed, List.of("HELD"), "CONFIRMED"))
        .then(move(expired, List.of("HELD"), "EXPIRED"))
        .then(move(cancelled, List.of("HELD"), "CANCELLED"))
        // A rejection after a hold: booking refused a payment that came after the hold ended (or
        // after the buyer cancelled). The money is owed back. A rejected request that was never
        // held (most of an on-sale's outcomes) matches no row.
        .then(move(rejectedIds, List.of("HELD", "EXPIRED", "CANCELLED"), "REJECTED"))
        .then(oweForRejections(rejected))
        .then(Flux.fromIterable(eventsCancelled).concatMap(this::oweForEvent).then());
  }

  private Mono<Void> hold(List<SeatsHeld> held) {
    if (held.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO payables (reservation_id, event_id, customer_id, amount_minor, currency,"
                + " expires_at, status) SELECT r, e, c, a, m, to_timestamp(x / 1000.0), 'HELD'"
                + " FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[],"
                + " $6::bigint[]) AS h(r, e, c, a, m, x) ON CONFLICT (reservation_id) DO NOTHING")
        .bind(0, held.stream().map(SeatsHeld::getReservationId).toArray(String[]::new))
        .bind(1, held.stream().map(SeatsHeld::getEventId).toArray(String[]::new))
        .bind(2, held.stream().map(SeatsHeld::getCustomerId).toArray(String[]::new))
        .bind(3, held.stream().map(SeatsHeld::getAmountMinor).toArray(Long[]::new))
        .bind(4, held.stream().map(SeatsHeld::getCurrency).toArray(String[]::new))
        .bind(5, held.stream().map(h -> h.getExpiresAt().toEpochMilli()).toArray(Long[]::new))
        .then();
  }

  private Mono<Void> move(List<String> reservationIds, List<String> from, String to) {
    if (reservationIds.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "UPDATE payables SET status = $3 WHERE reservation_id = ANY($1::text[])"
                + " AND status = ANY($2::text[])")
        .bind(0, reservationIds.toArray(String[]::new))
        .bind(1, from.toArray(String[]::new))
        .bind(2, to)
        .then();
  }

  /** A refund owed for each captured payment of a rejected reservation (once per payment). */
  private Mono<Void> oweForRejections(List<ReservationRejected> rejected) {
    if (rejected.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO refunds (payment_id, reason, status) SELECT p.payment_id, r.reason,"
                + " 'PENDING' FROM unnest($1::text[], $2::text[]) AS r(reservation_id, reason)"
                + " JOIN payments p ON p.reservation_id = r.reservation_id"
                + " WHERE p.status = 'CAPTURED' ON CONFLICT (payment_id) DO NOTHING")
        .bind(
            0, rejected.stream().map(ReservationRejected::getReservationId).toArray(String[]::new))
        .bind(1, rejected.stream().map(PayablesProjection::reason).toArray(String[]::new))
        .then();
  }

  private static String reason(ReservationRejected rejected) {
    return "booking rejected the payment: "
        + (rejected.getDetail() == null ? rejected.getReason().name() : rejected.getDetail());
  }

  /** Booking releases the holds; payment gives back what was paid for the event's seats. */
  private Mono<Void> oweForEvent(EventCancelled cancelled) {
    return database
        .sql(
            "INSERT INTO refunds (payment_id, reason, status) SELECT p.payment_id, $2, 'PENDING'"
                + " FROM payments p JOIN payables b USING (reservation_id)"
                + " WHERE b.event_id = $1 AND p.status = 'CAPTURED'"
                + " ON CONFLICT (payment_id) DO NOTHING")
        .bind(0, cancelled.getEventId())
        .bind(
            1,
            "the event was cancelled"
                + (cancelled.getReason() == null ? "" : ": " + cancelled.getReason()))
        .then();
  }
}
