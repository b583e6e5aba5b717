package io.guichet.identity.application;

import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** identity's signing keys, their private halves sealed at rest. */
public interface SigningKeyStore {

  /** Keys still accepted at {@code now}, newest first. */
  Flux<StoredKey> usable(Instant now);

  /**
   * Makes {@code key} the current key and retires the others at {@code retireAt}, in the caller's
   * transaction; returns the keys it retired.
   */
  Flux<StoredKey> rotate(StoredKey key, Instant retireAt);

  /** Serializes rotations across instances for the rest of the transaction. */
  Mono<Void> lock();
}
