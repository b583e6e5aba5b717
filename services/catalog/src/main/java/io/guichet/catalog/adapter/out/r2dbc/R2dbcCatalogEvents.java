package io.guichet.catalog.adapter.out.r2dbc;

import io.guichet.catalog.application.CatalogEvents;
import io.guichet.catalog.domain.CatalogEvent;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** Events in {@code catalog_events}, one JSON document each. */
public final class R2dbcCatalogEvents implements CatalogEvents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DatabaseClient database;

  public R2dbcCatalogEvents(DatabaseClient database) {
    this.database = database;
  }

  @Override
  public Mono<CatalogEvent> lock(String eventId) {
    return select("SELECT state FROM catalog_events WHERE event_id = $1 FOR UPDATE", eventId);
  }

  @Override
  public Mono<CatalogEvent> find(String eventId) {
    return select("SELECT state FROM catalog_events WHERE event_id = $1", eventId);
  }

  @Override
  public Mono<Void> insert(CatalogEvent event) {
    return database
        .sql(
            "INSERT INTO catalog_events (event_id, organizer_id, status, state)"
                + " VALUES ($1, $2, $3, $4)")
        .bind(0, event.id())
        .bind(1, event.organizerId())
        .bind(2, event.status().name())
        .bind(3, Json.of(write(event)))
        .then();
  }

  @Override
  public Flux<CatalogEvent> page(String organizerId, int page, int size) {
    return database
        .sql(
            "SELECT state FROM catalog_events WHERE ($1::text IS NULL OR organizer_id = $1)"
                + " ORDER BY created_at DESC, event_id LIMIT $2 OFFSET $3")
        .bind(0, Parameters.in(R2dbcType.VARCHAR, organizerId))
        .bind(1, size)
        .bind(2, (long) page * size)
        .map(row -> read(row.get("state", Json.class)))
        .all();
  }

  @Override
  public Mono<Long> count(String organizerId) {
    return database
        .sql(
            "SELECT count(*) AS n FROM catalog_events WHERE ($1::text IS NULL OR organizer_id = $1)")
        .bind(0, Parameters.in(R2dbcType.VARCHAR, organizerId))
        .map(row -> row.get("n", Long.class))
        .one();
  }

  @Override
  public Flux<String> dueToClose(Instant now) {
    return database
        .sql(
            "SELECT event_id FROM catalog_events WHERE status = 'ON_SALE'"
                + " AND sales_close_at <= $1 ORDER BY sales_close_at LIMIT 100")
        .bind(0, now.atOffset(ZoneOffset.UTC))
        .map(row -> row.get("event_id", String.class))
        .all();
  }

  @Override
  public Mono<Instant> nextClose() {
    return database
        .sql(
            "SELECT min(sales_close_at) AS next FROM catalog_events WHERE status = 'ON_SALE'"
                + " AND sales_close_at IS NOT NULL")
        .map(row -> Optional.ofNullable(row.get("next", OffsetDateTime.class)))
        .one()
        .flatMap(Mono::justOrEmpty)
        .map(OffsetDateTime::toInstant);
  }

  @Override
  public Mono<Void> update(CatalogEvent event) {
    DatabaseClient.GenericExecuteSpec update =
        database
            .sql(
                "UPDATE catalog_events SET status = $2, state = $3, sales_close_at = $4,"
                    + " version = version + 1, updated_at = now() WHERE event_id = $1")
            .bind(0, event.id())
            .bind(1, event.status().name())
            .bind(2, Json.of(write(event)));
    return (event.salesCloseAt() == null
            ? update.bindNull(3, OffsetDateTime.class)
            : update.bind(3, event.salesCloseAt().atOffset(ZoneOffset.UTC)))
        .then();
  }

  private Mono<CatalogEvent> select(String sql, String eventId) {
    return database.sql(sql).bind(0, eventId).map(row -> read(row.get("state", Json.class))).one();
  }

  private static String write(CatalogEvent event) {
    try {
      return JSON.writeValueAsString(StoredEvent.of(event));
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot store event " + event.id(), e);
    }
  }

  private static CatalogEvent read(Json state) {
    try {
      return JSON.readValue(state.asString(), StoredEvent.class).toEvent();
    } catch (JacksonException e) {
      throw new IllegalStateException("unreadable stored event", e);
    }
  }
}
