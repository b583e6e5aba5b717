package io.guichet.identity.adapter.out.kafka;

import io.guichet.events.identity.AccountDisabled;
import io.guichet.events.identity.AccountRegistered;
import io.guichet.events.identity.SigningKeyPublished;
import io.guichet.identity.application.IdentityFacts;
import io.guichet.identity.application.StoredKey;
import io.guichet.identity.domain.Account;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.platform.access.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import reactor.core.publisher.Mono;

/**
 * AccountRegistered (keyed by account, no secret on it), SigningKeyPublished (keyed by key id on a
 * compacted topic, so the latest state of every key stays readable) and AccountDisabled (keyed by
 * account on a compacted topic, so a service started later still refuses its tokens) through the
 * outbox.
 */
public final class OutboxIdentityFacts implements IdentityFacts {

  public static final List<Class<? extends SpecificRecord>> TYPES =
      List.of(AccountRegistered.class, SigningKeyPublished.class, AccountDisabled.class);

  private final Outbox outbox;
  private final OutboxRelay relay;

  public OutboxIdentityFacts(Outbox outbox, OutboxRelay relay) {
    this.outbox = outbox;
    this.relay = relay;
  }

  @Override
  public Mono<Void> accountRegistered(Account account, Instant at) {
    return outbox.append(
        account.id(),
        AccountRegistered.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(at)
            .setAccountId(account.id())
            .setEmail(account.email())
            .setRoles(account.roles().stream().map(Role::name).sorted().toList())
            .setLanguage(account.language())
            .build());
  }

  @Override
  public Mono<Void> signingKeyPublished(StoredKey key, Instant at) {
    return outbox.append(
        key.keyId(),
        SigningKeyPublished.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(at)
            .setKeyId(key.keyId())
            .setAlgorithm(key.key().getAlgorithm().getName())
            .setPublicKey(key.publicJwk())
            .setValidFrom(key.validFrom())
            .setValidUntil(key.validUntil())
            .build());
  }

  @Override
  public Mono<Void> accountDisabled(String accountId, Instant at) {
    return outbox.append(
        accountId,
        AccountDisabled.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(at)
            .setAccountId(accountId)
            .build());
  }

  @Override
  public void committed() {
    relay.nudge();
  }
}
