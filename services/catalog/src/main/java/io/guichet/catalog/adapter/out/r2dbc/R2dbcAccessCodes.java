package io.guichet.catalog.adapter.out.r2dbc;

import io.guichet.catalog.application.AccessCodeStore;
import io.guichet.catalog.domain.AccessCode;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Access codes in {@code access_codes}, one row each, unique per event and code. */
public final class R2dbcAccessCodes implements AccessCodeStore {

  private static final String COLUMNS =
      "code_id, event_id, code, offer_ids, uses, valid_from, valid_until, presale, discount_bp,"
          + " created_at";

  private final DatabaseClient database;

  public R2dbcAccessCodes(DatabaseClient database) {
    this.database = database;
  }

  @Override
  public Mono<Boolean> insert(AccessCode code) {
    return database
        .sql(
            "INSERT INTO access_codes ("
                + COLUMNS
                + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                + " ON CONFLICT (event_id, code) DO NOTHING")
        .bind(0, code.id())
        .bind(1, code.eventId())
        .bind(2, code.code())
        .bind(3, code.offerIds().toArray(String[]::new))
        .bind(4, code.uses())
        .bind(5, Parameters.in(R2dbcType.TIMESTAMP_WITH_TIME_ZONE, utc(code.validFrom())))
        .bind(6, Parameters.in(R2dbcType.TIMESTAMP_WITH_TIME_ZONE, utc(code.validUntil())))
        .bind(7, code.presale())
        .bind(8, code.discountBasisPoints())
        .bind(9, utc(code.createdAt()))
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<AccessCode> find(String eventId, String code) {
    return one(eventId, "code", code);
  }

  @Override
  public Mono<AccessCode> findById(String eventId, String codeId) {
    return one(eventId, "code_id", codeId);
  }

  /** The event's code whose column (code or code_id, both unique per event) has this value. */
  private Mono<AccessCode> one(String eventId, String column, String value) {
    return database
        .sql("SELECT " + COLUMNS + " FROM access_codes WHERE event_id = $1 AND " + column + " = $2")
        .bind(0, eventId)
        .bind(1, value)
        .map(R2dbcAccessCodes::read)
        .one();
  }

  @Override
  public Flux<AccessCode> page(String eventId, int page, int size) {
    return database
        .sql(
            "SELECT "
                + COLUMNS
                + " FROM access_codes WHERE event_id = $1"
                + " ORDER BY created_at DESC, code_id LIMIT $2 OFFSET $3")
        .bind(0, eventId)
        .bind(1, size)
        .bind(2, (long) page * size)
        .map(R2dbcAccessCodes::read)
        .all();
  }

  @Override
  public Mono<Long> count(String eventId) {
    return database
        .sql("SELECT count(*) AS n FROM access_codes WHERE event_id = $1")
        .bind(0, eventId)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  private static AccessCode read(Readable row) {
    return new AccessCode(
        row.get("code_id", String.class),
        row.get("event_id", String.class),
        row.get("code", String.class),
        List.of(row.get("offer_ids", String[].class)),
        row.get("uses", Integer.class),
        instant(row.get("valid_from", OffsetDateTime.class)),
        instant(row.get("valid_until", OffsetDateTime.class)),
        row.get("presale", Boolean.class),
        row.get("discount_bp", Integer.class),
        instant(row.get("created_at", OffsetDateTime.class)));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
