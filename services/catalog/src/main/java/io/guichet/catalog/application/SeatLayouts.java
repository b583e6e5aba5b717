package io.guichet.catalog.application;

import io.guichet.catalog.domain.LayoutVersion;
import io.guichet.catalog.domain.SeatLayout;
import java.time.Clock;
import java.util.UUID;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Organizers' seat layouts: imported (version 1), revised (the next version, the earlier ones
 * kept), read back. Each change is one transaction.
 */
public final class SeatLayouts {

  private final SeatLayoutStore store;
  private final TransactionalOperator transactions;
  private final Clock clock;

  public SeatLayouts(SeatLayoutStore store, TransactionalOperator transactions, Clock clock) {
    this.store = store;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** Stores a valid layout as version 1 of a new layout of the organizer. */
  public Mono<LayoutVersion> create(String organizerId, SeatLayout layout, String document) {
    LayoutVersion first =
        new LayoutVersion(
            UUID.randomUUID().toString(), organizerId, 1, layout, document, clock.instant());
    return store.create(first).thenReturn(first).as(transactions::transactional);
  }

  /** Stores a valid layout as the layout's next version; empty if the layout is unknown. */
  public Mono<LayoutVersion> revise(String layoutId, SeatLayout layout, String document) {
    return store
        .revise(new LayoutVersion(layoutId, null, 0, layout, document, clock.instant()))
        .as(transactions::transactional);
  }

  public Mono<LayoutVersion> latest(String layoutId) {
    return store.latest(layoutId);
  }

  public Mono<LayoutVersion> version(String layoutId, int version) {
    return store.version(layoutId, version);
  }

  public SeatLayoutStore store() {
    return store;
  }
}
