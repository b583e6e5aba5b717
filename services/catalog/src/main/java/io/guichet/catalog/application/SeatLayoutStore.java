package io.guichet.catalog.application;

import io.guichet.catalog.domain.LayoutVersion;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The port to the organizers' seat layouts and their versions, stored. */
public interface SeatLayoutStore {

  /** Stores a new layout at version 1. */
  Mono<Void> create(LayoutVersion first);

  /**
   * Stores the layout's next version (its number decided under the layout's row lock, so that two
   * revisions at once get two numbers) and answers it; empty if the layout is unknown.
   */
  Mono<LayoutVersion> revise(LayoutVersion next);

  /** The layout's latest version; empty if unknown. */
  Mono<LayoutVersion> latest(String layoutId);

  /** One version of the layout; empty if it has none such. */
  Mono<LayoutVersion> version(String layoutId, int version);

  /** A page of an organizer's layouts (their latest versions), newest first. */
  Flux<LayoutVersion> page(String organizerId, int page, int size);

  /** How many layouts the organizer has. */
  Mono<Long> count(String organizerId);
}
