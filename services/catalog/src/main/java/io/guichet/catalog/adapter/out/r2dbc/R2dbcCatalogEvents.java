package io.guichet.catalog.adapter.out.r2dbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guichet.catalog.application.CatalogEvents;
import io.guichet.catalog.domain.CatalogEvent;
import io.r2dbc.postgresql.codec.Json;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

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
  public Mono<Void> update(CatalogEvent event) {
    return database
        .sql(
            "UPDATE catalog_events SET status = $2, state = $3, version = version + 1,"
                + " updated_at = now() WHERE event_id = $1")
        .bind(0, event.id())
        .bind(1, event.status().name())
        .bind(2, Json.of(write(event)))
        .then();
  }

  private Mono<CatalogEvent> select(String sql, String eventId) {
    return database.sql(sql).bind(0, eventId).map(row -> read(row.get("state", Json.class))).one();
  }

  private static String write(CatalogEvent event) {
    try {
      return JSON.writeValueAsString(StoredEvent.of(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot store event " + event.id(), e);
    }
  }

  private static CatalogEvent read(Json state) {
    try {
      return JSON.readValue(state.asString(), StoredEvent.class).toEvent();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable stored event", e);
    }
  }
}
