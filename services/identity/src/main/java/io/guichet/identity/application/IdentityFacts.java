package io.guichet.identity.application;

import io.guichet.identity.domain.Account;
import java.time.Instant;
import reactor.core.publisher.Mono;

/** What identity publishes, appended in the caller's transaction (outbox). */
public interface IdentityFacts {

  Mono<Void> accountRegistered(Account account, Instant at);

  Mono<Void> signingKeyPublished(StoredKey key, Instant at);

  /** Every service refuses the account's tokens once it reads this. */
  Mono<Void> accountDisabled(String accountId, Instant at);

  /** Called after the transaction that appended facts has committed: publish them now. */
  void committed();
}
