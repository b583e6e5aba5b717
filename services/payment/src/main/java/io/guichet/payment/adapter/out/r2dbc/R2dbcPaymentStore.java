package io.guichet.payment.adapter.out.r2dbc;

import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.payment.adapter.out.kafka.PaymentEvents;
import io.guichet.payment.application.PaymentStore;
import io.guichet.payment.application.ProviderResult;
import io.guichet.payment.domain.Payable;
import io.guichet.payment.domain.Payment;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Payment's tables in PostgreSQL; outcomes are published through the outbox in their transaction.
 */
public final class R2dbcPaymentStore implements PaymentStore {

  private static final String PAYMENT_COLUMNS =
      "payment_id, reservation_id, attempt, amount_minor, currency, method, status,"
          + " failure_reason, failure_detail, provider, provider_reference, created_at";

  private final DatabaseClient database;
  private final TransactionalOperator transactions;
  private final Outbox outbox;
  private final OutboxRelay relay;

  public R2dbcPaymentStore(
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
  public Mono<Payable> payable(String reservationId) {
    return database
        .sql(
            "SELECT reservation_id, event_id, customer_id, amount_minor, currency, expires_at,"
                + " status FROM payables WHERE reservation_id = $1")
        .bind(0, reservationId)
        .map(row -> payable(row))
        .one();
  }

  @Override
  public Mono<Integer> nextAttempt(String reservationId) {
    return database
        .sql("SELECT COALESCE(MAX(attempt), 0) + 1 AS next FROM payments WHERE reservation_id = $1")
        .bind(0, reservationId)
        .map(row -> row.get("next", Integer.class))
        .one();
  }

  @Override
  public Mono<Started> start(Payment attempt) {
    // Any unique violation (another live attempt, the same attempt number) means another request
    // got there first: answer with the live attempt.
    Mono<Started> inserted =
        database
            .sql(
                "INSERT INTO payments ("
                    + PAYMENT_COLUMNS
                    + ", updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'PROCESSING', NULL, NULL, $7,"
                    + " NULL, $8, $8) ON CONFLICT DO NOTHING")
            .bind(0, attempt.paymentId())
            .bind(1, attempt.reservationId())
            .bind(2, attempt.attempt())
            .bind(3, attempt.amountMinor())
            .bind(4, attempt.currency())
            .bind(5, attempt.method())
            .bind(6, attempt.provider())
            .bind(7, utc(attempt.createdAt()))
            .fetch()
            .rowsUpdated()
            .flatMap(
                rows ->
                    rows == 1
                        ? Mono.just(new Started(attempt, true))
                        : live(attempt.reservationId()).map(live -> new Started(live, false)));
    // A race with an attempt that failed in between leaves no live one: try once more.
    return inserted.switchIfEmpty(
        Mono.defer(
            () ->
                Mono.error(
                    new IllegalStateException(
                        "payment of " + attempt.reservationId() + " changed meanwhile; retry"))));
  }

  private Mono<Payment> live(String reservationId) {
    return database
        .sql(
            "SELECT "
                + PAYMENT_COLUMNS
                + " FROM payments WHERE reservation_id = $1"
                + " AND status IN ('PROCESSING', 'CAPTURED')")
        .bind(0, reservationId)
        .map(row -> payment(row))
        .one();
  }

  @Override
  public Mono<Payment> complete(String paymentId, ProviderResult result, Instant at) {
    boolean captured = result instanceof ProviderResult.Captured;
    DatabaseClient.GenericExecuteSpec update =
        database
            .sql(
                "UPDATE payments SET status = $2, failure_reason = $3, failure_detail = $4,"
                    + " provider_reference = $5, updated_at = $6"
                    + " WHERE payment_id = $1 AND status = 'PROCESSING' RETURNING "
                    + PAYMENT_COLUMNS)
            .bind(0, paymentId)
            .bind(1, captured ? "CAPTURED" : "FAILED")
            .bind(5, utc(at));
    if (result instanceof ProviderResult.Captured capture) {
      update =
          update.bindNull(2, String.class).bindNull(3, String.class).bind(4, capture.reference());
    } else {
      ProviderResult.Failed failed = (ProviderResult.Failed) result;
      update =
          update.bind(2, failed.reason().name()).bind(3, failed.detail()).bindNull(4, String.class);
    }
    Mono<Payment> work =
        update
            .map(row -> payment(row))
            .one()
            .flatMap(
                done ->
                    payable(done.reservationId())
                        .flatMap(
                            payable ->
                                outbox.append(
                                    done.reservationId(), PaymentEvents.toEvent(done, payable, at)))
                        .thenReturn(done));
    return work.as(transactions::transactional)
        .doOnNext(done -> relay.nudge())
        // Already completed by someone else (a webhook, recovery): its state is the answer.
        .switchIfEmpty(Mono.defer(() -> payment(paymentId)));
  }

  @Override
  public Mono<Payment> paymentByKey(String idempotencyKey) {
    int dash = idempotencyKey.lastIndexOf('-');
    if (!idempotencyKey.startsWith("guichet-") || dash <= "guichet-".length()) {
      return Mono.empty();
    }
    int attempt;
    try {
      attempt = Integer.parseInt(idempotencyKey.substring(dash + 1));
    } catch (NumberFormatException e) {
      return Mono.empty();
    }
    return database
        .sql(
            "SELECT "
                + PAYMENT_COLUMNS
                + " FROM payments WHERE reservation_id = $1 AND attempt = $2")
        .bind(0, idempotencyKey.substring("guichet-".length(), dash))
        .bind(1, attempt)
        .map(row -> payment(row))
        .one();
  }

  @Override
  public Mono<Void> oweRefundOfLateCharge(Payment payment, String reference, String reason) {
    Mono<Void> work =
        database
            .sql(
                "UPDATE payments SET provider_reference = $2, updated_at = now()"
                    + " WHERE payment_id = $1 AND status = 'FAILED'")
            .bind(0, payment.paymentId())
            .bind(1, reference)
            .then()
            .then(
                database
                    .sql(
                        "INSERT INTO refunds (payment_id, reason, status) VALUES ($1, $2,"
                            + " 'PENDING') ON CONFLICT (payment_id) DO NOTHING")
                    .bind(0, payment.paymentId())
                    .bind(1, reason)
                    .then());
    return work.as(transactions::transactional);
  }

  @Override
  public Mono<Boolean> firstDelivery(String providerEventId) {
    return database
        .sql("INSERT INTO provider_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(0, providerEventId)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  @Override
  public Flux<OwedRefund> owedRefunds(int limit) {
    return database
        .sql(
            "SELECT p.payment_id, p.reservation_id, p.attempt, p.amount_minor, p.currency,"
                + " p.method, p.status, p.failure_reason, p.failure_detail, p.provider,"
                + " p.provider_reference, p.created_at, r.reason AS refund_reason"
                + " FROM refunds r JOIN payments p USING (payment_id)"
                + " WHERE r.status = 'PENDING' ORDER BY r.created_at LIMIT $1")
        .bind(0, limit)
        .map(row -> new OwedRefund(payment(row), row.get("refund_reason", String.class)))
        .all();
  }

  @Override
  public Mono<Void> refunded(OwedRefund owed, String refundId, Instant at) {
    Payment payment = owed.payment();
    Mono<Void> work =
        database
            .sql(
                "UPDATE refunds SET status = 'DONE', refund_id = $2, updated_at = $3"
                    + " WHERE payment_id = $1 AND status = 'PENDING'")
            .bind(0, payment.paymentId())
            .bind(1, refundId)
            .bind(2, utc(at))
            .fetch()
            .rowsUpdated()
            .filter(rows -> rows == 1)
            .flatMap(
                rows ->
                    database
                        .sql(
                            "UPDATE payments SET status = 'REFUNDED', updated_at = $2"
                                + " WHERE payment_id = $1")
                        .bind(0, payment.paymentId())
                        .bind(1, utc(at))
                        .then()
                        .then(payable(payment.reservationId()))
                        .flatMap(
                            payable ->
                                outbox.append(
                                    payment.reservationId(),
                                    PaymentEvents.refunded(
                                        payment, payable, refundId, owed.reason(), at))));
    return work.as(transactions::transactional).doOnSuccess(done -> relay.nudge());
  }

  @Override
  public Mono<Payment> payment(String paymentId) {
    return database
        .sql("SELECT " + PAYMENT_COLUMNS + " FROM payments WHERE payment_id = $1")
        .bind(0, paymentId)
        .map(row -> payment(row))
        .one();
  }

  @Override
  public Flux<Payment> processingSince(Instant before) {
    return database
        .sql(
            "SELECT "
                + PAYMENT_COLUMNS
                + " FROM payments WHERE status = 'PROCESSING' AND created_at < $1"
                + " ORDER BY created_at LIMIT 500")
        .bind(0, utc(before))
        .map(row -> payment(row))
        .all();
  }

  private static Payable payable(Readable row) {
    return new Payable(
        row.get("reservation_id", String.class),
        row.get("event_id", String.class),
        row.get("customer_id", String.class),
        row.get("amount_minor", Long.class),
        row.get("currency", String.class),
        row.get("expires_at", OffsetDateTime.class).toInstant(),
        Payable.Status.valueOf(row.get("status", String.class)));
  }

  private static Payment payment(Readable row) {
    String reason = row.get("failure_reason", String.class);
    return new Payment(
        row.get("payment_id", String.class),
        row.get("reservation_id", String.class),
        row.get("attempt", Integer.class),
        row.get("amount_minor", Long.class),
        row.get("currency", String.class),
        row.get("method", String.class),
        Payment.Status.valueOf(row.get("status", String.class)),
        reason == null ? null : Payment.FailureReason.valueOf(reason),
        row.get("failure_detail", String.class),
        row.get("provider", String.class),
        row.get("provider_reference", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
