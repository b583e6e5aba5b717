package io.guichet.payment.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.outbox.PositionedConsumer;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Projects booking's outcomes into {@code payables}: what each held reservation costs, whose it is
 * and until when it is held. Payment never asks booking. Each change applies only from the status
 * it can follow, and a batch commits with its positions (rule 3), so a replay changes nothing.
 * Rejections of requests that were never held (most of an on-sale's outcomes) write nothing.
 */
public final class PayablesProjection implements PositionedConsumer.Projector {

  private final DatabaseClient database;
  private final TransactionalOperator transactions;

  public PayablesProjection(DatabaseClient database, TransactionalOperator transactions) {
    this.database = database;
    this.transactions = transactions;
  }

  @Override
  public Mono<Void> apply(
      List<ConsumerRecord<String, SpecificRecord>> records, Mono<Void> savePositions) {
    return Flux.fromIterable(records)
        .concatMap(record -> project(record.value()))
        .then(savePositions)
        .as(transactions::transactional);
  }

  private Mono<Void> project(SpecificRecord event) {
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
      // A rejection after a hold: the payment came after the hold ended.
      return move(rejected.getReservationId(), "EXPIRED", "REJECTED")
          .then(move(rejected.getReservationId(), "HELD", "REJECTED"));
    }
    return Mono.empty();
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
