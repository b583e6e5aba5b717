package io.guichet.outbox;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The ids of things that changed (reservations, events...), as announced with {@code NOTIFY} on a
 * channel by whichever instance projected them: one {@code LISTEN} connection per instance and
 * channel, shared by every server-sent-events stream it serves. A projection notifies inside its
 * transaction, so listeners hear of a change once it committed, never before.
 */
public final class ChangeNotifications implements AutoCloseable {

  private final Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();
  private final Disposable subscription;
  private volatile boolean listening;

  /**
   * @param connections a factory of plain (not pooled) PostgreSQL connections to the database
   * @param channel the channel the projection notifies on, with comma-separated ids
   */
  public ChangeNotifications(ConnectionFactory connections, String channel) {
    subscription =
        Mono.from(connections.create())
            .cast(PostgresqlConnection.class)
            .flatMapMany(
                connection ->
                    connection
                        .createStatement("LISTEN " + channel)
                        .execute()
                        .flatMap(PostgresqlResult::getRowsUpdated)
                        .doOnComplete(
                            () -> {
                              listening = true;
                              // What changed while it was not listening is worth a look.
                              changes.emitNext("", Sinks.EmitFailureHandler.FAIL_FAST);
                            })
                        .thenMany(connection.getNotifications())
                        .doFinally(
                            signal -> {
                              listening = false;
                              connection.close().subscribe();
                            }))
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                    .maxBackoff(Duration.ofSeconds(5)))
            .subscribe(
                notification -> {
                  String payload = notification.getParameter();
                  if (payload != null) {
                    for (String id : payload.split(",")) {
                      changes.emitNext(id, Sinks.EmitFailureHandler.FAIL_FAST);
                    }
                  }
                });
  }

  /**
   * A notification's payload at most, in bytes: PostgreSQL refuses 8,000 or more (its default
   * build), and leaves a little room.
   */
  static final int PAYLOAD_BYTES = 7_900;

  /**
   * Announces the ids on the channel, comma-separated, to be delivered when the caller's
   * transaction commits: as many notifications as their length needs, all in one statement (one
   * round trip per poll, where a statement per notification made dozens for a poll of 5,000).
   */
  public static Mono<Void> announce(
      DatabaseClient database, String channel, Collection<String> ids) {
    List<String> payloads = payloads(ids);
    if (payloads.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload")
        .bind(0, channel)
        .bind(1, payloads.toArray(String[]::new))
        .fetch()
        .all()
        .then();
  }

  /** The ids, in order, joined by commas into payloads of at most {@link #PAYLOAD_BYTES}. */
  static List<String> payloads(Collection<String> ids) {
    List<String> payloads = new ArrayList<>();
    StringBuilder payload = new StringBuilder();
    int bytes = 0;
    int count = 0;
    for (String id : ids) {
      int length = id.getBytes(StandardCharsets.UTF_8).length;
      if (length > PAYLOAD_BYTES) {
        throw new IllegalArgumentException("an id too long to announce: " + length + " bytes");
      }
      if (count > 0 && bytes + 1 + length > PAYLOAD_BYTES) {
        payloads.add(payload.toString());
        payload.setLength(0);
        bytes = 0;
        count = 0;
      }
      if (count > 0) {
        payload.append(',');
        bytes++;
      }
      payload.append(id);
      bytes += length;
      count++;
    }
    if (count > 0) {
      payloads.add(payload.toString());
    }
    return payloads;
  }

  /** Whether its {@code LISTEN} is in force: notifications from now on will be heard. */
  public boolean listening() {
    return listening;
  }

  /**
   * Every notification's ids from now on (an empty payload is one empty id), and one empty id each
   * time its {@code LISTEN} comes into force (at the start, and again after the connection was
   * lost): whoever refreshes on a change refreshes then too, and misses nothing in between.
   */
  public Flux<String> any() {
    return changes.asFlux();
  }

  /** Changes of this id from now on. */
  public Flux<String> of(String id) {
    return changes.asFlux().filter(id::equals);
  }

  @Override
  public void close() {
    subscription.dispose();
  }
}
