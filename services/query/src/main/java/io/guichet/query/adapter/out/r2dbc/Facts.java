package io.guichet.query.adapter.out.r2dbc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** What both projections need of a fact and of the schema they write. */
final class Facts {

  private Facts() {}

  /** A field of the fact, as text. */
  static String text(SpecificRecord fact, String field) {
    return String.valueOf(fact.get(fact.getSchema().getField(field).pos()));
  }

  /** The fact's id (every Guichet event has one), which a duplicate delivery repeats. */
  static String id(SpecificRecord fact) {
    return text(fact, "id");
  }

  static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * Runs the projection unless the fact's id is already in the table (one of {@code schema}'s
   * records of applied facts), recording it.
   */
  static Mono<Void> once(
      DatabaseClient database, String table, SpecificRecord fact, Mono<Void> projection) {
    return database
        .sql("INSERT INTO " + table + " (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING")
        .bind(0, id(fact))
        .fetch()
        .rowsUpdated()
        .flatMap(inserted -> inserted == 1 ? projection : Mono.empty());
  }
}
