package io.guichet.catalog.application;

import io.guichet.catalog.domain.CatalogFact;
import java.util.List;
import reactor.core.publisher.Mono;

/** The port that records facts for publishing, in the caller's transaction. */
public interface CatalogFacts {

  Mono<Void> record(List<CatalogFact> facts);

  /** Called after a commit that recorded facts, so they go out without waiting. */
  void committed();
}
