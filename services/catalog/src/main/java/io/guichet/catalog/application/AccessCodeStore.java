package io.guichet.catalog.application;

import io.guichet.catalog.domain.AccessCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The port to the events' access codes, stored. */
public interface AccessCodeStore {

  /** Stores a new code; false (and nothing stored) when its event already has that code. */
  Mono<Boolean> insert(AccessCode code);

  /** An event's code by what buyers type (upper case); empty if it has none such. */
  Mono<AccessCode> find(String eventId, String code);

  /** An event's code by its id; empty if it has none such. */
  Mono<AccessCode> findById(String eventId, String codeId);

  /** A page of an event's codes, newest first. */
  Flux<AccessCode> page(String eventId, int page, int size);

  /** How many codes the event has. */
  Mono<Long> count(String eventId);
}
