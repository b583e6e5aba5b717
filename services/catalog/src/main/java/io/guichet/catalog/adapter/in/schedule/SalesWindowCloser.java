package io.guichet.catalog.adapter.in.schedule;

import io.guichet.catalog.application.CatalogCommands;
import io.guichet.web.Periodic;
import java.time.Clock;
import java.time.Duration;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Closes sales at the time the organizer planned ({@code closesAt} when opening): the events due
 * are closed and their SalesClosed published, as if the organizer had. It looks when the earliest
 * planned close comes, when the catalog changes (a sale opened with a close, on any instance: every
 * change appends to the outbox, which announces it), and at least every {@code longestWait} in case
 * an announcement was lost. It looked every second, a share of an idle standalone's statements.
 */
public final class SalesWindowCloser implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SalesWindowCloser.class);

  private static final Duration RETRY_PAST_DUE = Duration.ofSeconds(1);

  private final CatalogCommands commands;
  private final Clock clock;
  private final Duration longestWait;
  private final Sinks.Many<Object> due = Sinks.many().multicast().directBestEffort();
  private final Disposable ticking;
  private volatile Disposable nextDue = () -> {};

  /**
   * @param changes signals each change of the catalog (what was appended to its outbox)
   */
  public SalesWindowCloser(
      CatalogCommands commands, Publisher<?> changes, Duration longestWait, Clock clock) {
    this.commands = commands;
    this.clock = clock;
    this.longestWait = longestWait;
    ticking =
        Periodic.everyAndOn(
            Duration.ZERO,
            longestWait,
            Flux.merge(changes, due.asFlux()),
            "closing due sales",
            this::round);
  }

  private Mono<?> round() {
    return commands
        .closeDueSales()
        .doOnNext(
            closed -> {
              if (closed > 0) {
                LOG.info("closed the sales of {} event(s) as planned", closed);
              }
            })
        .then(commands.nextPlannedClose())
        .doOnNext(
            at -> {
              Duration wait = Duration.between(clock.instant(), at);
              if (wait.compareTo(longestWait) < 0) {
                nextDue.dispose();
                // Due already and not closed (it came due after this round's look, or could not
                // be closed): looked at again in a second, not at once and again and again.
                nextDue =
                    Mono.delay(wait.isNegative() || wait.isZero() ? RETRY_PAST_DUE : wait)
                        .subscribe(tick -> due.tryEmitNext(tick));
              }
            });
  }

  @Override
  public void close() {
    ticking.dispose();
    nextDue.dispose();
  }
}
