package io.guichet.catalog.application;

import io.guichet.catalog.domain.CatalogEvent;
import reactor.core.publisher.Mono;

/** The port to the catalog's events, stored. */
public interface CatalogEvents {

  /** The event, locked until the surrounding transaction ends; empty if unknown. */
  Mono<CatalogEvent> lock(String eventId);

  /** The event as last saved; empty if unknown. */
  Mono<CatalogEvent> find(String eventId);

  Mono<Void> insert(CatalogEvent event);

  Mono<Void> update(CatalogEvent event);
}
