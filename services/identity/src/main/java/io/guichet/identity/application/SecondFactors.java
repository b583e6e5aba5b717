package io.guichet.identity.application;

import io.guichet.identity.domain.Account;
import io.guichet.identity.domain.Secrets;
import io.guichet.identity.domain.Totp;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import reactor.core.publisher.Mono;

/**
 * TOTP enrolment, proven by the password (under the login throttle): enrolment hands out a new
 * secret, activation takes a first code from it and answers the recovery codes, once.
 */
public final class SecondFactors {

  public static final String ISSUER = "Guichet";

  /** What an enrolment or activation ends in. */
  public sealed interface Outcome {}

  public record Enrolled(String secretUri) implements Outcome {}

  public record Activated(List<String> recoveryCodes) implements Outcome {}

  public record Refused() implements Outcome {}

  public record AlreadyActive() implements Outcome {}

  public record NotEnrolled() implements Outcome {}

  private final AccountStore store;
  private final PasswordCheck passwords;
  private final Clock clock;

  public SecondFactors(AccountStore store, PasswordCheck passwords, Clock clock) {
    this.store = store;
    this.passwords = passwords;
    this.clock = clock;
  }

  public Mono<Outcome> enroll(String email, String password) {
    return withPassword(
        email,
        password,
        account -> {
          byte[] secret = Totp.newSecret();
          return store
              .pendingSecondFactor(account.id(), secret)
              .then(store.succeeded(account.id(), null))
              .thenReturn(new Enrolled(Totp.uri(ISSUER, account.email(), secret)));
        });
  }

  public Mono<Outcome> activate(String email, String password, String code) {
    return withPassword(
        email,
        password,
        account -> {
          if (account.mfaSecret() == null) {
            return Mono.just(new NotEnrolled());
          }
          OptionalLong step =
              Totp.verify(account.mfaSecret(), code, clock.instant(), account.lastTotpStep());
          if (step.isEmpty()) {
            return Mono.just(new Refused());
          }
          List<String> codes = Secrets.recoveryCodes();
          return store
              .activateSecondFactor(
                  account.id(), step.getAsLong(), codes.stream().map(Secrets::sha256).toList())
              .flatMap(
                  activated ->
                      activated
                          ? store.succeeded(account.id(), null).thenReturn(new Activated(codes))
                          : Mono.just(new Refused()));
        });
  }

  private Mono<Outcome> withPassword(
      String email, String password, java.util.function.Function<Account, Mono<Outcome>> then) {
    return passwords
        .check(email, password)
        .flatMap(
            checked -> {
              // Locked is refused like wrong (see Logins).
              if (!(checked instanceof PasswordCheck.Passed passed)) {
                return Mono.just(new Refused());
              }
              return passed.account().mfaEnabled()
                  ? Mono.just(new AlreadyActive())
                  : then.apply(passed.account());
            });
  }
}
