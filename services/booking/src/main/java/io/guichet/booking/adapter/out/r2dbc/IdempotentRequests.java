package io.guichet.booking.adapter.out.r2dbc;

import io.guichet.booking.adapter.out.kafka.RequestEvents;
import io.guichet.booking.application.IdempotencyKeys;
import io.guichet.booking.application.ReserveCommand;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Requests that carry an {@code Idempotency-Key}: the key, the request's fingerprint and the
 * reservation id are stored in the same transaction as the outbox row of the request, so a key is
 * recorded if and only if its request will be published.
 */
public final class IdempotentRequests implements IdempotencyKeys {

  private final DatabaseClient database;
  private final TransactionalOperator transactions;
  private final Outbox outbox;
  private final OutboxRelay relay;

  public IdempotentRequests(
      DatabaseClient database,
      TransactionalOperator transactions,
      Outbox outbox,
      OutboxRelay relay) {
    this.database = database;
    this.transactions = transactions;
    this.outbox = outbox;
    this.relay = relay;
  }

  @Override
  public Mono<Optional<FirstUse>> claim(String key, String reservationId, ReserveCommand command) {
    Mono<Optional<FirstUse>> attempt =
        database
            .sql(
                "INSERT INTO idempotency_keys (customer_id, idempotency_key, fingerprint,"
                    + " reservation_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(0, command.customer())
            .bind(1, key)
            .bind(2, command.fingerprint())
            .bind(3, reservationId)
            .fetch()
            .rowsUpdated()
            .flatMap(
                inserted ->
                    inserted == 1
                        ? outbox
                            .append(
                                command.event(), RequestEvents.requested(reservationId, command))
                            .thenReturn(Optional.<FirstUse>empty())
                        : first(command.customer(), key).map(Optional::of));
    return attempt
        .as(transactions::transactional)
        .doOnSuccess(
            outcome -> {
              if (outcome != null && outcome.isEmpty()) {
                relay.nudge();
              }
            });
  }

  /**
   * Forgets the keys first used before this instant: a retry after that long is a new request.
   *
   * @return how many were forgotten
   */
  public Mono<Long> forgetBefore(Instant instant) {
    return database
        .sql("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(0, instant.atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated();
  }

  private Mono<FirstUse> first(String customer, String key) {
    return database
        .sql(
            "SELECT fingerprint, reservation_id FROM idempotency_keys"
                + " WHERE customer_id = $1 AND idempotency_key = $2")
        .bind(0, customer)
        .bind(1, key)
        .map(
            row ->
                new FirstUse(
                    row.get("fingerprint", String.class), row.get("reservation_id", String.class)))
        .one();
  }
}
