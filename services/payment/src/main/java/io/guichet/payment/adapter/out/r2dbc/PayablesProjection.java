package io.guichet.payment.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.catalog.EventCancelled;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Projects booking's outcomes into {@code payables}: what each held reservation costs, whose it is
 * and until when it is held. Payment never asks booking. Each change applies only from the status
 * it can follow, and a batch commits with its positions (rule 3), so a replay changes nothing.
 * Rejections of requests that were never held (most of an on-sale's outcomes) write nothing.
 *
 * <p>It also records the refunds owed: for a captured payment that booking rejects, and for the
 * captured payments of a cancelled event ({@code catalog.events}).
 */
public final class PayablesProjection {

  private final DatabaseClient database;

  public PayablesProjection(DatabaseClient database) {
    this.database = database;
  }

  /** Writes one event's change (the caller runs it in the batch's transaction). */
  public Mono<Void> project(SpecificRecord event) {
    if (event instanceof SeatsHeld held) {
      return database
          .sql(
              "INSERT INTO payables (reservation_id, event_id, customer_id, amount_minor, currency,"
                  + " expires_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'HELD')"
                  + " ON CONFLICT (reservation_id) DO NOTHING")
          .bind(0, held.getReservationId())
          .bind(1, held.getEventId())
          .bind(2, held.getCustomerId())
          .bind(3, held.getAmountMinor())
          .bind(4, held.getCurrency())
          .bind(5, R2dbcPaymentStore.utc(held.getExpiresAt()))
          .then();
    }
    if (event instanceof ReservationConfirmed confirmed) {
      return move(confirmed.getReservationId(), "HELD", "CONFIRMED");
    }
    if (event instanceof HoldExpired expired) {
      return move(expired.getReservationId(), "HELD", "EXPIRED");
    }
    if (event instanceof ReservationCancelled cancelled) {
      return move(cancelled.getReservationId(), "HELD", "CANCELLED");
    }
    if (event instanceof ReservationRejected rejected) {
      // A rejection after a hold: booking refused a payment that came after the hold ended (or
      // after the buyer cancelled). The money is owed back.
      return move(rejected.getReservationId(), "EXPIRED", "REJECTED")
          .then(move(rejected.getReservationId(), "HELD", "REJECTED"))
          .then(move(rejected.getReservationId(), "CANCELLED", "REJECTED"))
          .then(
              owe(
                  "SELECT payment_id, $2 FROM payments"
                      + " WHERE reservation_id = $1 AND status = 'CAPTURED'",
                  rejected.getReservationId(),
                  "booking rejected the payment: "
                      + (rejected.getDetail() == null
                          ? rejected.getReason().name()
                          : rejected.getDetail())));
    }
    if (event instanceof EventCancelled cancelled) {
      // Booking releases the holds; payment gives back what was paid for the event's seats.
      return owe(
          "SELECT p.payment_id, $2 FROM payments p JOIN payables b USING (reservation_id)"
              + " WHERE b.event_id = $1 AND p.status = 'CAPTURED'",
          cancelled.getEventId(),
          "the event was cancelled"
              + (cancelled.getReason() == null ? "" : ": " + cancelled.getReason()));
    }
    return Mono.empty();
  }

  /** Records a refund owed for each payment the query selects (once per payment). */
  private Mono<Void> owe(String select, String id, String reason) {
    return database
        .sql(
            "INSERT INTO refunds (payment_id, reason, status) SELECT q.*, 'PENDING' FROM ("
                + select
                + ") AS q ON CONFLICT (payment_id) DO NOTHING")
        .bind(0, id)
        .bind(1, reason)
        .then();
  }

  private Mono<Void> move(String reservationId, String from, String to) {
    return database
        .sql("UPDATE payables SET status = $3 WHERE reservation_id = $1 AND status = $2")
        .bind(0, reservationId)
        .bind(1, from)
        .bind(2, to)
        .then();
  }
}
