package io.guichet.query.application;

import io.guichet.query.domain.Rebuild;
import reactor.core.publisher.Mono;

/** Rebuilding the read models from the topics while the current ones keep serving. */
public interface Rebuilds {

  /** One rebuild runs at a time: starting another while it does. */
  final class AlreadyRunning extends RuntimeException {
    private final String rebuildId;

    public AlreadyRunning(String rebuildId) {
      super("rebuild " + rebuildId + " is running", null, false, false);
      this.rebuildId = rebuildId;
    }

    public String rebuildId() {
      return rebuildId;
    }
  }

  /** Starts a rebuild; fails with {@link AlreadyRunning} if one runs. */
  Mono<Rebuild> start(String requestedBy);

  Mono<Rebuild> find(String rebuildId);
}
