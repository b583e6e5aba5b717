package io.guichet.identity.application;

import io.guichet.identity.domain.Account;
import java.time.Clock;
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

  private final AccountStore store;
  private final PasswordEncoder encoder;
  private final Clock clock;
  private final String decoyHash;

  /** An account id no account has (ids are random UUIDs). */
  private static final String NOBODY = "00000000-0000-0000-0000-000000000000";

  public PasswordCheck(AccountStore store, PasswordEncoder encoder, Clock clock) {
    this.store = store;
    this.encoder = encoder;
    this.clock = clock;
    this.decoyHash = encoder.encode(UUID.randomUUID().toString());
  }

  /**
   * A refusal that has no account to check against (unknown email, disabled account) does what a
   * wrong password does: one attempt counted (on an id no account has: a database round trip that
   * changes nothing) and one hash, so that its time is a wrong password's.
   */
  private Mono<Result> refusedLikeAWrongPassword(String password) {
    return store
        .attempt(NOBODY, clock.instant())
        .then(matches(password, decoyHash))
        .thenReturn(new Failed());
  }

  public Mono<Result> check(String email, String password) {
    return store
        .byEmail(email)
        .flatMap(
            account -> {
              if (account.disabled()) {
                return refusedLikeAWrongPassword(password);
              }
              Instant now = clock.instant();
              return store
                  .attempt(account.id(), now)
                  .flatMap(
                      counted ->
                          matches(password, account.passwordHash())
                              .map(ok -> ok ? (Result) new Passed(account) : new Failed()))
                  // Locked: the same hash is computed as for a wrong password, and nothing more
                  // (the attempt was counted, which doubles the lock), so that neither the answer
                  // nor the time taken tells a locked account from any other refusal.
                  .switchIfEmpty(
                      Mono.defer(() -> matches(password, decoyHash).thenReturn(new Failed())));
            })
        .switchIfEmpty(Mono.defer(() -> refusedLikeAWrongPassword(password)));
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
