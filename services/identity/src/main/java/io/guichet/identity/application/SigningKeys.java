package io.guichet.identity.application;

import com.nimbusds.jose.jwk.ECKey;
import io.guichet.access.SigningKeyRing;
import io.guichet.platform.access.AccessTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * identity's signing keys. A rotation makes a new key current and retires the previous ones once
 * the tokens they signed have expired; every change is published ({@code SigningKeyPublished}) in
 * the same transaction. identity signs with the newest key that it has itself read back from the
 * topic, so a token is never signed with a key the services cannot know yet.
 */
public final class SigningKeys {

  private final SigningKeyStore store;
  private final IdentityFacts facts;
  private final TransactionalOperator transactions;
  private final SigningKeyRing ring;
  private final Clock clock;
  private final Duration rotationPeriod;
  private final Duration retireAfter;
  private volatile List<StoredKey> usable = List.of();

  /**
   * @param retireAfter how long a replaced key stays accepted: the access tokens' lifetime plus the
   *     clock skew tolerated
   */
  public SigningKeys(
      SigningKeyStore store,
      IdentityFacts facts,
      TransactionalOperator transactions,
      SigningKeyRing ring,
      Clock clock,
      Duration rotationPeriod,
      Duration retireAfter) {
    this.store = store;
    this.facts = facts;
    this.transactions = transactions;
    this.ring = ring;
    this.clock = clock;
    this.rotationPeriod = rotationPeriod;
    this.retireAfter = retireAfter;
  }

  /** Rotates if there is no current key or it is older than the rotation period. */
  public Mono<Void> rotateIfDue() {
    return transactions
        .transactional(
            store
                .lock()
                .then(store.usable(clock.instant()).collectList())
                .flatMap(
                    keys -> {
                      Instant now = clock.instant();
                      boolean fresh =
                          keys.stream()
                              .anyMatch(
                                  key ->
                                      key.validUntil() == null
                                          && key.validFrom().plus(rotationPeriod).isAfter(now));
                      return fresh ? Mono.empty() : rotateNow(now);
                    }))
        .doOnNext(keyId -> facts.committed())
        .then(reload());
  }

  /** Makes a new key current now; returns its id. */
  public Mono<String> rotate() {
    return transactions
        .transactional(store.lock().then(Mono.defer(() -> rotateNow(clock.instant()))))
        .doOnNext(keyId -> facts.committed())
        .flatMap(keyId -> reload().thenReturn(keyId));
  }

  private Mono<String> rotateNow(Instant now) {
    StoredKey key = new StoredKey(AccessTokens.newSigningKey(), now, null);
    return store
        .rotate(key, now.plus(retireAfter))
        .concatWith(Flux.just(key))
        .concatMap(changed -> facts.signingKeyPublished(changed, now))
        .then(Mono.just(key.keyId()));
  }

  /** Reads the usable keys again (after a rotation, here or by another instance). */
  public Mono<Void> reload() {
    return store
        .usable(clock.instant())
        .collectList()
        .doOnNext(keys -> usable = List.copyOf(keys))
        .then();
  }

  /** The key to sign with: the newest usable one the services can already know. */
  public Optional<ECKey> signer() {
    Instant now = clock.instant();
    return usable.stream()
        .filter(key -> key.validUntil() == null || key.validUntil().isAfter(now))
        .filter(key -> ring.key(key.keyId()).isPresent())
        .map(StoredKey::key)
        .findFirst();
  }
}
