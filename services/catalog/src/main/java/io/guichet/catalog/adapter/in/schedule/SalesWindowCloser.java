package io.guichet.catalog.adapter.in.schedule;

import io.guichet.catalog.application.CatalogCommands;
import io.guichet.web.Periodic;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Closes sales at the time the organizer planned ({@code closesAt} when opening): every {@code
 * period}, the events due are closed and their SalesClosed published, as if the organizer had.
 */
public final class SalesWindowCloser implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SalesWindowCloser.class);

  private final Disposable ticking;

  public SalesWindowCloser(CatalogCommands commands, Duration period) {
    ticking =
        Periodic.every(
            period,
            period,
            "closing due sales",
            () ->
                commands
                    .closeDueSales()
                    .doOnNext(
                        closed -> {
                          if (closed > 0) {
                            LOG.info("closed the sales of {} event(s) as planned", closed);
                          }
                        }));
  }

  @Override
  public void close() {
    ticking.dispose();
  }
}
