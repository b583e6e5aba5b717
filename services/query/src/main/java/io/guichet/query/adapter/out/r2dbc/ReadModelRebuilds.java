package io.guichet.query.adapter.out.r2dbc;

import io.guichet.outbox.PositionedConsumer;
import io.guichet.query.application.Rebuilds;
import io.guichet.query.domain.Rebuild;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Rebuilds the read models from the beginning of every topic without stopping the service: a second
 * consumer fills {@link ReadModelSchema#REBUILDING} while the serving schema keeps answering and
 * the live consumer keeps projecting into it. Once the rebuild has read everything, one transaction
 * renames the rebuilt schema into place and gives the live consumer the rebuild's positions; the
 * live consumer's next batch finds its positions moved, rolls back and goes on from there, into the
 * rebuilt tables. Readers see the old models, then the new ones, never a half-built one.
 */
public final class ReadModelRebuilds implements Rebuilds, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReadModelRebuilds.class);

  private final DatabaseClient database;
  private final TransactionalOperator transactions;
  private final ReadModelSchema schema;
  private final List<Projection> projections;
  private final Duration limit;
  private final Clock clock;
  private String running;
  private List<PositionedConsumer> rebuilding = List.of();

  /**
   * A projection of the read models: its live consumer's group, and how to start a consumer of it
   * under another group into another schema.
   */
  public record Projection(
      String liveGroup, BiFunction<String, String, PositionedConsumer> consumer) {

    String rebuildGroup() {
      return liveGroup + "-rebuild";
    }
  }

  /**
   * @param projections the projections that write the read models; each is rebuilt by a consumer of
   *     its own, whose positions replace its live consumer's
   * @param limit how long a rebuild may take before it is given up (the serving models stay)
   */
  public ReadModelRebuilds(
      DatabaseClient database,
      TransactionalOperator transactions,
      ReadModelSchema schema,
      List<Projection> projections,
      Duration limit,
      Clock clock) {
    this.database = database;
    this.transactions = transactions;
    this.schema = schema;
    this.projections = List.copyOf(projections);
    this.limit = limit;
    this.clock = clock;
  }

  @Override
  public synchronized Mono<Rebuild> start(String requestedBy) {
    if (running != null) {
      return Mono.error(new AlreadyRunning(running));
    }
    String id = UUID.randomUUID().toString();
    running = id;
    Instant now = clock.instant();
    // A rebuild still marked running past the limit was left by an instance that stopped.
    Mono<Void> expireStale =
        database
            .sql(
                "UPDATE read_model_rebuilds SET status = 'FAILED', finished_at = $1, detail ="
                    + " 'abandoned: its instance stopped' WHERE status = 'RUNNING'"
                    + " AND started_at < $2")
            .bind(0, now.atOffset(ZoneOffset.UTC))
            .bind(1, now.minus(limit).atOffset(ZoneOffset.UTC))
            .then();
    Mono<Void> record =
        database
            .sql(
                "INSERT INTO read_model_rebuilds (rebuild_id, requested_by, status, started_at)"
                    + " VALUES ($1, $2, 'RUNNING', $3)")
            .bind(0, id)
            .bind(1, requestedBy)
            .bind(2, now.atOffset(ZoneOffset.UTC))
            .then();
    return expireStale
        .then(record)
        .onErrorResume(
            DataIntegrityViolationException.class,
            taken ->
                database
                    .sql("SELECT rebuild_id FROM read_model_rebuilds WHERE status = 'RUNNING'")
                    .map(row -> row.get("rebuild_id", String.class))
                    .one()
                    .defaultIfEmpty("(another instance's)")
                    .flatMap(other -> Mono.error(new AlreadyRunning(other))))
        .doOnError(e -> finished(id))
        .doOnSuccess(
            done ->
                Mono.fromRunnable(() -> run(id))
                    .subscribeOn(Schedulers.boundedElastic())
                    .subscribe())
        .then(Mono.defer(() -> find(id)));
  }

  private synchronized void finished(String id) {
    if (id.equals(running)) {
      running = null;
    }
  }

  private void run(String id) {
    Duration wait = Duration.ofMinutes(1);
    try {
      database
          .sql("DROP SCHEMA IF EXISTS " + ReadModelSchema.REBUILDING + " CASCADE")
          .then()
          .then(schema.create(database, ReadModelSchema.REBUILDING))
          .then(
              Flux.fromIterable(projections)
                  .concatMap(
                      projection ->
                          database
                              .sql("DELETE FROM consumed_offsets WHERE consumer = $1")
                              .bind(0, projection.rebuildGroup())
                              .then())
                  .then())
          .block(wait);
      List<PositionedConsumer> consumers = new ArrayList<>();
      synchronized (this) {
        for (Projection projection : projections) {
          consumers.add(
              projection.consumer().apply(projection.rebuildGroup(), ReadModelSchema.REBUILDING));
        }
        rebuilding = List.copyOf(consumers);
      }
      Instant giveUp = clock.instant().plus(limit);
      // The consumers say when they have read everything; this thread only asks them.
      Flux.interval(Duration.ofMillis(200))
          .takeUntil(tick -> allCaughtUp(consumers) || clock.instant().isAfter(giveUp))
          .blockLast(limit.plus(wait));
      consumers.forEach(PositionedConsumer::close);
      if (!allCaughtUp(consumers)) {
        throw new IllegalStateException("the rebuild did not catch up within " + limit);
      }
      swap(id).block(wait);
      LOG.info("read models rebuilt ({}); the rebuilt ones serve", id);
    } catch (RuntimeException e) {
      LOG.warn("rebuild {} failed; the serving read models stay", id, e);
      database
          .sql("DROP SCHEMA IF EXISTS " + ReadModelSchema.REBUILDING + " CASCADE")
          .then()
          .then(ended(id, "FAILED", String.valueOf(e.getMessage())))
          .onErrorResume(
              failure -> {
                LOG.warn("could not record that rebuild {} failed", id, failure);
                return Mono.empty();
              })
          .block(wait);
    } finally {
      synchronized (this) {
        rebuilding.forEach(PositionedConsumer::close);
        rebuilding = List.of();
      }
      finished(id);
    }
  }

  private static boolean allCaughtUp(List<PositionedConsumer> consumers) {
    return consumers.stream().allMatch(PositionedConsumer::caughtUp);
  }

  /** The rebuilt schema serves, with its positions; the old one is dropped. */
  private Mono<Void> swap(String id) {
    return database
        .sql("DROP SCHEMA IF EXISTS " + ReadModelSchema.RETIRED + " CASCADE")
        .then()
        .then(
            database
                .sql(
                    "ALTER SCHEMA "
                        + ReadModelSchema.SERVING
                        + " RENAME TO "
                        + ReadModelSchema.RETIRED)
                .then())
        .then(
            database
                .sql(
                    "ALTER SCHEMA "
                        + ReadModelSchema.REBUILDING
                        + " RENAME TO "
                        + ReadModelSchema.SERVING)
                .then())
        .then(
            Flux.fromIterable(projections)
                .concatMap(
                    projection ->
                        database
                            .sql("DELETE FROM consumed_offsets WHERE consumer = $1")
                            .bind(0, projection.liveGroup())
                            .then()
                            .then(
                                database
                                    .sql(
                                        "UPDATE consumed_offsets SET consumer = $1"
                                            + " WHERE consumer = $2")
                                    .bind(0, projection.liveGroup())
                                    .bind(1, projection.rebuildGroup())
                                    .then()))
                .then())
        .then(database.sql("DROP SCHEMA " + ReadModelSchema.RETIRED + " CASCADE").then())
        .then(ended(id, "COMPLETED", null))
        .as(transactions::transactional);
  }

  private Mono<Void> ended(String id, String status, String detail) {
    return database
        .sql(
            "UPDATE read_model_rebuilds SET status = $2, finished_at = $3, detail = $4"
                + " WHERE rebuild_id = $1")
        .bind(0, id)
        .bind(1, status)
        .bind(2, clock.instant().atOffset(ZoneOffset.UTC))
        .bind(3, detail == null ? io.r2dbc.spi.Parameters.in(String.class) : detail)
        .then();
  }

  @Override
  public Mono<Rebuild> find(String rebuildId) {
    return database
        .sql("SELECT * FROM read_model_rebuilds WHERE rebuild_id = $1")
        .bind(0, rebuildId)
        .map(
            row ->
                new Rebuild(
                    row.get("rebuild_id", String.class),
                    row.get("requested_by", String.class),
                    row.get("status", String.class),
                    row.get("started_at", Instant.class),
                    row.get("finished_at", Instant.class),
                    row.get("detail", String.class)))
        .one();
  }

  @Override
  public void close() {
    synchronized (this) {
      rebuilding.forEach(PositionedConsumer::close);
    }
  }
}
