package io.guichet.catalog.adapter.out.r2dbc;

import io.guichet.catalog.application.SeatLayoutStore;
import io.guichet.catalog.domain.LayoutVersion;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Seat layouts in {@code seat_layouts} (one row each: owner, latest version) and their versions in
 * {@code seat_layout_versions}.
 */
public final class R2dbcSeatLayouts implements SeatLayoutStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SELECT =
      "SELECT l.layout_id, l.organizer_id, v.version, v.document, v.layout, v.created_at"
          + " FROM seat_layouts l JOIN seat_layout_versions v ON v.layout_id = l.layout_id";

  private final DatabaseClient database;

  public R2dbcSeatLayouts(DatabaseClient database) {
    this.database = database;
  }

  @Override
  public Mono<Void> create(LayoutVersion first) {
    return database
        .sql(
            "INSERT INTO seat_layouts (layout_id, organizer_id, version, created_at, updated_at)"
                + " VALUES ($1, $2, 1, $3, $3)")
        .bind(0, first.layoutId())
        .bind(1, first.organizerId())
        .bind(2, utc(first.createdAt()))
        .fetch()
        .rowsUpdated()
        .then(insertVersion(first));
  }

  @Override
  public Mono<LayoutVersion> revise(LayoutVersion next) {
    return database
        .sql(
            "UPDATE seat_layouts SET version = version + 1, updated_at = $2 WHERE layout_id = $1"
                + " RETURNING version, organizer_id")
        .bind(0, next.layoutId())
        .bind(1, utc(next.createdAt()))
        .map(
            row ->
                new LayoutVersion(
                    next.layoutId(),
                    row.get("organizer_id", String.class),
                    row.get("version", Integer.class),
                    next.layout(),
                    next.document(),
                    next.createdAt()))
        .one()
        .flatMap(stored -> insertVersion(stored).thenReturn(stored));
  }

  private Mono<Void> insertVersion(LayoutVersion version) {
    return database
        .sql(
            "INSERT INTO seat_layout_versions (layout_id, version, document, layout, created_at)"
                + " VALUES ($1, $2, $3, $4, $5)")
        .bind(0, version.layoutId())
        .bind(1, version.version())
        .bind(2, Json.of(version.document()))
        .bind(3, Json.of(JSON.writeValueAsString(StoredLayout.of(version.layout()))))
        .bind(4, utc(version.createdAt()))
        .fetch()
        .rowsUpdated()
        .then();
  }

  @Override
  public Mono<LayoutVersion> latest(String layoutId) {
    return database
        .sql(SELECT + " AND v.version = l.version WHERE l.layout_id = $1")
        .bind(0, layoutId)
        .map(R2dbcSeatLayouts::read)
        .one();
  }

  @Override
  public Mono<LayoutVersion> version(String layoutId, int version) {
    return database
        .sql(SELECT + " WHERE l.layout_id = $1 AND v.version = $2")
        .bind(0, layoutId)
        .bind(1, version)
        .map(R2dbcSeatLayouts::read)
        .one();
  }

  @Override
  public Flux<LayoutVersion> page(String organizerId, int page, int size) {
    return database
        .sql(
            SELECT
                + " AND v.version = l.version WHERE l.organizer_id = $1"
                + " ORDER BY l.updated_at DESC, l.layout_id LIMIT $2 OFFSET $3")
        .bind(0, organizerId)
        .bind(1, size)
        .bind(2, (long) page * size)
        .map(R2dbcSeatLayouts::read)
        .all();
  }

  @Override
  public Mono<Long> count(String organizerId) {
    return database
        .sql("SELECT count(*) AS n FROM seat_layouts WHERE organizer_id = $1")
        .bind(0, organizerId)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  private static LayoutVersion read(Readable row) {
    return new LayoutVersion(
        row.get("layout_id", String.class),
        row.get("organizer_id", String.class),
        row.get("version", Integer.class),
        JSON.readValue(row.get("layout", Json.class).asString(), StoredLayout.class).layout(),
        row.get("document", Json.class).asString(),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
