package io.guichet.notification.adapter.out.r2dbc;

import io.guichet.notification.application.WebhookStore;
import io.guichet.notification.domain.Delivery;
import io.guichet.notification.domain.Webhook;
import io.guichet.web.PageRequest;
import io.guichet.web.PageRequest.Page;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Webhook endpoints and deliveries in notification's database. */
public final class R2dbcWebhookStore implements WebhookStore {

  private final DatabaseClient database;

  public R2dbcWebhookStore(DatabaseClient database) {
    this.database = database;
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Webhook webhookOf(Readable row) {
    return new Webhook(
        row.get("webhook_id", String.class),
        row.get("url", String.class),
        List.of(row.get("event_types", String[].class)),
        row.get("description", String.class),
        Boolean.TRUE.equals(row.get("active", Boolean.class)),
        row.get("created_by", String.class),
        row.get("created_at", Instant.class));
  }

  private static Delivery deliveryOf(Readable row) {
    return new Delivery(
        row.get("seq", Long.class),
        row.get("delivery_id", String.class),
        row.get("webhook_id", String.class),
        row.get("event_id", String.class),
        row.get("event_type", String.class),
        row.get("ordering_key", String.class),
        row.get("payload", String.class),
        row.get("status", String.class),
        row.get("attempts", Integer.class),
        row.get("last_status_code", Integer.class),
        row.get("last_error", String.class),
        row.get("created_at", Instant.class),
        row.get("window_start", Instant.class),
        row.get("next_attempt_at", Instant.class),
        row.get("delivered_at", Instant.class));
  }

  @Override
  public Mono<Void> create(Webhook webhook, byte[] sealedSecret) {
    return database
        .sql(
            "INSERT INTO webhooks (webhook_id, url, event_types, description, sealed_secret,"
                + " active, created_by, created_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7)")
        .bind(0, webhook.webhookId())
        .bind(1, webhook.url())
        .bind(2, webhook.eventTypes().toArray(String[]::new))
        .bind(
            3,
            webhook.description() == null
                ? io.r2dbc.spi.Parameters.in(String.class)
                : webhook.description())
        .bind(4, ByteBuffer.wrap(sealedSecret))
        .bind(5, webhook.createdBy())
        .bind(6, at(webhook.createdAt()))
        .then();
  }

  @Override
  public Mono<Page<Webhook>> webhooks(PageRequest page) {
    Mono<Long> total =
        database
            .sql("SELECT count(*) AS n FROM webhooks")
            .map(row -> row.get("n", Long.class))
            .one();
    Mono<List<Webhook>> items =
        database
            .sql("SELECT * FROM webhooks ORDER BY created_at DESC, webhook_id LIMIT $1 OFFSET $2")
            .bind(0, page.size())
            .bind(1, (long) page.page() * page.size())
            .map(R2dbcWebhookStore::webhookOf)
            .all()
            .collectList();
    return Mono.zip(items, total).map(both -> page.of(both.getT1(), both.getT2()));
  }

  @Override
  public Mono<Webhook> webhook(String webhookId) {
    return database
        .sql("SELECT * FROM webhooks WHERE webhook_id = $1")
        .bind(0, webhookId)
        .map(R2dbcWebhookStore::webhookOf)
        .one();
  }

  @Override
  public Mono<Boolean> deactivate(String webhookId) {
    return database
        .sql("UPDATE webhooks SET active = FALSE WHERE webhook_id = $1")
        .bind(0, webhookId)
        .fetch()
        .rowsUpdated()
        .flatMap(
            updated ->
                updated == 0
                    ? Mono.just(false)
                    : database
                        .sql(
                            "UPDATE deliveries SET status = 'DEAD', last_error = 'the endpoint"
                                + " was deactivated' WHERE webhook_id = $1"
                                + " AND status IN ('PENDING', 'RETRYING')")
                        .bind(0, webhookId)
                        .then()
                        .thenReturn(true));
  }

  @Override
  public Mono<byte[]> sealedSecret(String webhookId) {
    return database
        .sql("SELECT sealed_secret FROM webhooks WHERE webhook_id = $1")
        .bind(0, webhookId)
        .map(
            row -> {
              ByteBuffer buffer = row.get("sealed_secret", ByteBuffer.class);
              byte[] bytes = new byte[buffer.remaining()];
              buffer.get(bytes);
              return bytes;
            })
        .one();
  }

  @Override
  public Mono<List<Delivery>> claimDue(int max, Instant now) {
    // A delivery is due when its time has come and no earlier delivery of its endpoint and key is
    // still on its way; SKIP LOCKED lets several dispatchers share the work.
    return database
        .sql(
            "UPDATE deliveries SET status = 'SENDING', claimed_at = $1,"
                // The retry window opens at the first attempt (or the first after a replay):
                // waiting behind an earlier delivery of its key does not use it up.
                + " window_start = CASE WHEN status = 'PENDING' THEN $1 ELSE window_start END"
                + " WHERE seq IN ("
                + " SELECT d.seq FROM deliveries d JOIN webhooks w USING (webhook_id)"
                + " WHERE d.status IN ('PENDING', 'RETRYING') AND d.next_attempt_at <= $1"
                + " AND w.active AND NOT EXISTS (SELECT 1 FROM deliveries e"
                + "   WHERE e.webhook_id = d.webhook_id AND e.ordering_key = d.ordering_key"
                + "   AND e.seq < d.seq AND e.status IN ('PENDING', 'RETRYING', 'SENDING'))"
                + " ORDER BY d.seq LIMIT $2 FOR UPDATE OF d SKIP LOCKED) RETURNING *")
        .bind(0, at(now))
        .bind(1, max)
        .map(R2dbcWebhookStore::deliveryOf)
        .all()
        .collectList();
  }

  @Override
  public Mono<Void> delivered(String deliveryId, int statusCode, Instant at) {
    return database
        .sql(
            "UPDATE deliveries SET status = 'DELIVERED', attempts = attempts + 1,"
                + " last_status_code = $2, last_error = NULL, delivered_at = $3"
                + " WHERE delivery_id = $1")
        .bind(0, deliveryId)
        .bind(1, statusCode)
        .bind(2, at(at))
        .then();
  }

  @Override
  public Mono<Void> retryAt(String deliveryId, Integer statusCode, String error, Instant next) {
    return failed(deliveryId, "RETRYING", statusCode, error, next);
  }

  @Override
  public Mono<Void> dead(String deliveryId, Integer statusCode, String error) {
    return failed(deliveryId, "DEAD", statusCode, error, null);
  }

  /** An attempt failed: one attempt more, its answer, and when to try next (if ever). */
  private Mono<Void> failed(
      String deliveryId, String status, Integer statusCode, String error, Instant next) {
    return database
        .sql(
            "UPDATE deliveries SET status = $2, attempts = attempts + 1, last_status_code = $3,"
                + " last_error = $4, next_attempt_at = COALESCE($5, next_attempt_at)"
                + " WHERE delivery_id = $1")
        .bind(0, deliveryId)
        .bind(1, status)
        .bind(2, statusCode == null ? io.r2dbc.spi.Parameters.in(Integer.class) : statusCode)
        .bind(3, error)
        .bind(4, next == null ? io.r2dbc.spi.Parameters.in(OffsetDateTime.class) : at(next))
        .then();
  }

  @Override
  public Mono<Page<Delivery>> deliveries(String webhookId, String status, PageRequest page) {
    String where = " WHERE webhook_id = $1" + (status == null ? "" : " AND status = $4");
    var count = database.sql("SELECT count(*) AS n FROM deliveries" + where.replace("$4", "$2"));
    var select =
        database.sql("SELECT * FROM deliveries" + where + " ORDER BY seq DESC LIMIT $2 OFFSET $3");
    count = count.bind(0, webhookId);
    select =
        select.bind(0, webhookId).bind(1, page.size()).bind(2, (long) page.page() * page.size());
    if (status != null) {
      count = count.bind(1, status);
      select = select.bind(3, status);
    }
    Mono<Long> total = count.map(row -> row.get("n", Long.class)).one();
    Mono<List<Delivery>> items = select.map(R2dbcWebhookStore::deliveryOf).all().collectList();
    return Mono.zip(items, total).map(both -> page.of(both.getT1(), both.getT2()));
  }

  @Override
  public Mono<Delivery> delivery(String webhookId, String deliveryId) {
    return database
        .sql("SELECT * FROM deliveries WHERE webhook_id = $1 AND delivery_id = $2")
        .bind(0, webhookId)
        .bind(1, deliveryId)
        .map(R2dbcWebhookStore::deliveryOf)
        .one();
  }

  @Override
  public Mono<Boolean> replay(String webhookId, String deliveryId, Instant now) {
    return database
        .sql(
            "UPDATE deliveries SET status = 'PENDING', window_start = $3, next_attempt_at = $3,"
                + " delivered_at = NULL WHERE webhook_id = $1 AND delivery_id = $2"
                + " AND status IN ('DEAD', 'DELIVERED')")
        .bind(0, webhookId)
        .bind(1, deliveryId)
        .bind(2, at(now))
        .fetch()
        .rowsUpdated()
        .map(updated -> updated == 1);
  }

  @Override
  public Mono<Long> releaseStale(Duration claimedFor, Instant now) {
    return database
        .sql(
            "UPDATE deliveries SET status = 'RETRYING', next_attempt_at = $1 WHERE status ="
                + " 'SENDING' AND claimed_at < $2")
        .bind(0, at(now))
        .bind(1, at(now.minus(claimedFor)))
        .fetch()
        .rowsUpdated();
  }
}
