package io.guichet.booking.adapter.out.r2dbc;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The ids of reservations whose status changed, as announced by whichever instance projected them:
 * one {@code LISTEN} connection per instance, shared by every server-sent-events stream it serves.
 */
public final class StatusNotifications implements AutoCloseable {

  private final Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();
  private final Disposable listening;

  /**
   * @param connections a factory of plain (not pooled) PostgreSQL connections to booking's database
   */
  public StatusNotifications(ConnectionFactory connections) {
    listening =
        Mono.from(connections.create())
            .cast(PostgresqlConnection.class)
            .flatMapMany(
                connection ->
                    connection
                        .createStatement("LISTEN " + StatusProjectionStore.CHANNEL)
                        .execute()
                        .flatMap(PostgresqlResult::getRowsUpdated)
                        .thenMany(connection.getNotifications())
                        .doFinally(signal -> connection.close().subscribe()))
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

  /** Changes of this reservation from now on. */
  public Flux<String> of(String reservationId) {
    return changes.asFlux().filter(reservationId::equals);
  }

  @Override
  public void close() {
    listening.dispose();
  }
}
