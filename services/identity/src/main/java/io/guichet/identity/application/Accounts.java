package io.guichet.identity.application;

import io.guichet.identity.domain.Account;
import io.guichet.platform.access.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Accounts: anyone registers as a CUSTOMER; an admin grants the other roles and binds scanners to
 * events. Each new account is published (AccountRegistered, without any secret) in the transaction
 * that creates it.
 */
public final class Accounts {

  private final AccountStore store;
  private final IdentityFacts facts;
  private final PasswordCheck passwords;
  private final TransactionalOperator transactions;
  private final Clock clock;

  public Accounts(
      AccountStore store,
      IdentityFacts facts,
      PasswordCheck passwords,
      TransactionalOperator transactions,
      Clock clock) {
    this.store = store;
    this.facts = facts;
    this.passwords = passwords;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** Creates a customer account; empty when the email is taken. */
  public Mono<Account> register(String email, String password, String language) {
    return create(email, password, language, Set.of(Role.CUSTOMER));
  }

  /** Creates the first administrator from configuration, unless that email has an account. */
  public Mono<Account> ensureAdministrator(String email, String password) {
    return store
        .byEmail(email)
        .hasElement()
        .flatMap(
            exists -> exists ? Mono.empty() : create(email, password, "en", Set.of(Role.ADMIN)));
  }

  private Mono<Account> create(String email, String password, String language, Set<Role> roles) {
    return passwords
        .hash(password)
        .flatMap(
            hash -> {
              Instant now = clock.instant();
              Account account =
                  new Account(
                      UUID.randomUUID().toString(),
                      email,
                      hash,
                      roles,
                      Set.of(),
                      language,
                      false,
                      null,
                      false,
                      0,
                      null);
              return transactions
                  .transactional(
                      store
                          .create(account, now)
                          .flatMap(
                              created ->
                                  created
                                      ? facts.accountRegistered(account, now).thenReturn(account)
                                      : Mono.empty()))
                  .doOnNext(created -> facts.committed());
            });
  }

  public Mono<Account> find(String id) {
    return store.byId(id);
  }

  public Flux<Account> page(int page, int size) {
    return store.page(page, size);
  }

  public Mono<Long> count() {
    return store.count();
  }

  /**
   * Grants these roles (and, for a scanner, these events). The account's refresh tokens are
   * revoked, so its next login carries the new roles (and asks for a second factor if they need
   * one).
   */
  public Mono<Account> setRoles(String id, Set<Role> roles, Set<String> events) {
    Instant now = clock.instant();
    return transactions.transactional(
        store
            .setRoles(id, roles, events)
            .filter(Boolean::booleanValue)
            .flatMap(changed -> store.revokeAllRefreshTokens(id, now))
            .then(store.byId(id)));
  }

  /** Disables the account and revokes its refresh tokens; false when there is no such account. */
  public Mono<Boolean> disable(String id) {
    Instant now = clock.instant();
    return transactions
        .transactional(
            store
                .disable(id, now)
                .flatMap(
                    disabled ->
                        disabled
                            ? store
                                .revokeAllRefreshTokens(id, now)
                                .then(facts.accountDisabled(id, now))
                                .thenReturn(true)
                            : Mono.just(false)))
        .doOnNext(
            disabled -> {
              if (disabled) {
                facts.committed();
              }
            });
  }
}
