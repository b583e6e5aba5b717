package io.guichet.identity.application;

import io.guichet.identity.domain.Account;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.security.crypto.password.PasswordEncoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Checks an email and password under the login throttle. The attempt is counted before the hash is
 * compared; an unknown email, a disabled or a locked account cost the same hash as a known one, so
 * timing does not tell which emails have accounts. Hashing runs off the event loop.
 */
public final class PasswordCheck {

  /** What a check ends in. */
  public sealed interface Result {}

  /** The password is right for this account. */
  public record Passed(Account account) implements Result {}

  public record Failed() implements Result {}

  public record Throttled(Duration retryAfter) implements Result {}

  private final AccountStore store;
  private final PasswordEncoder encoder;
  private final Clock clock;
  private final String decoyHash;

  public PasswordCheck(AccountStore store, PasswordEncoder encoder, Clock clock) {
    this.store = store;
    this.encoder = encoder;
    this.clock = clock;
    this.decoyHash = encoder.encode(UUID.randomUUID().toString());
  }

  public Mono<Result> check(String email, String password) {
    return store
        .byEmail(email)
        .flatMap(
            account -> {
              if (account.disabled()) {
                return matches(password, decoyHash).thenReturn((Result) new Failed());
              }
              Instant now = clock.instant();
              return store
                  .attempt(account.id(), now)
                  .flatMap(
                      counted ->
                          matches(password, account.passwordHash())
                              .map(ok -> ok ? (Result) new Passed(account) : new Failed()))
                  // Locked: the same hash is computed as for a wrong password, so that the
                  // time taken does not tell a locked account from any other refusal.
                  .switchIfEmpty(
                      Mono.defer(
                          () -> matches(password, decoyHash).then(throttled(account.id(), now))));
            })
        .switchIfEmpty(Mono.defer(() -> matches(password, decoyHash).thenReturn(new Failed())));
  }

  private Mono<Result> throttled(String accountId, Instant now) {
    return store
        .byId(accountId)
        .map(
            account -> {
              Duration left =
                  account.lockedUntil() == null
                      ? Duration.ZERO
                      : Duration.between(now, account.lockedUntil());
              return new Throttled(
                  left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
            });
  }

  /** Hashes a new password (off the event loop). */
  public Mono<String> hash(String password) {
    return Mono.fromCallable(() -> encoder.encode(password))
        .subscribeOn(Schedulers.boundedElastic());
  }

  private Mono<Boolean> matches(String password, String hash) {
    return Mono.fromCallable(() -> encoder.matches(password, hash))
        .subscribeOn(Schedulers.boundedElastic());
  }
}
