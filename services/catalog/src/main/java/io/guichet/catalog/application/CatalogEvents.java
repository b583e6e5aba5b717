package io.guichet.catalog.application;

import io.guichet.catalog.domain.CatalogEvent;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The port to the catalog's events, stored. */
public interface CatalogEvents {

  /** The event, locked until the surrounding transaction ends; empty if unknown. */
  Mono<CatalogEvent> lock(String eventId);

  /** The event as last saved; empty if unknown. */
  Mono<CatalogEvent> find(String eventId);

  Mono<Void> insert(CatalogEvent event);

  Mono<Void> update(CatalogEvent event);

  /** A page of events, newest first; of one organizer when {@code organizerId} is not null. */
  Flux<CatalogEvent> page(String organizerId, int page, int size);

  /** How many events {@link #page} pages through. */
  Mono<Long> count(String organizerId);

  /** Events on sale whose planned close has come (a bounded page of them). */
  Flux<String> dueToClose(Instant now);

  /** The earliest planned close of an event on sale, if any is planned. */
  Mono<Instant> nextClose();
}
