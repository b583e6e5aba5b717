package io.guichet.identity.application;

import io.guichet.identity.domain.Account;
import io.guichet.identity.domain.Secrets;
import io.guichet.identity.domain.Totp;
import io.guichet.platform.access.AccessTokens;
import io.guichet.platform.access.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Log in, refresh and log out. A login starts a family of refresh tokens; each refresh uses its
 * token up and hands out the next one of the family. A token used a second time means it was stolen
 * (either the thief or the owner used it first), so the whole family is revoked and both must log
 * in again.
 */
public final class Logins {

  private final AccountStore store;
  private final PasswordCheck passwords;
  private final SigningKeys keys;
  private final TransactionalOperator transactions;
  private final Clock clock;
  private final Duration accessTokenLifetime;
  private final Duration refreshTokenLifetime;

  public Logins(
      AccountStore store,
      PasswordCheck passwords,
      SigningKeys keys,
      TransactionalOperator transactions,
      Clock clock,
      Duration accessTokenLifetime,
      Duration refreshTokenLifetime) {
    this.store = store;
    this.passwords = passwords;
    this.keys = keys;
    this.transactions = transactions;
    this.clock = clock;
    this.accessTokenLifetime = accessTokenLifetime;
    this.refreshTokenLifetime = refreshTokenLifetime;
  }

  public Mono<LoginOutcome> login(Credentials credentials) {
    return passwords
        .check(credentials.email(), credentials.password())
        .flatMap(
            checked -> {
              // A locked account is refused like a wrong password: a different answer would tell
              // that the account exists (unknown emails are never locked).
              if (!(checked instanceof PasswordCheck.Passed passed)) {
                return Mono.just(new LoginOutcome.Refused());
              }
              return secondFactor(passed.account(), credentials);
            });
  }

  private Mono<LoginOutcome> secondFactor(Account account, Credentials credentials) {
    if (!account.requiresSecondFactor()) {
      return store.succeeded(account.id(), null).then(startFamily(account));
    }
    if (!account.mfaEnabled()) {
      return Mono.just(new LoginOutcome.SecondFactorRequired(false));
    }
    Instant now = clock.instant();
    if (credentials.code() != null) {
      OptionalLong step =
          Totp.verify(account.mfaSecret(), credentials.code(), now, account.lastTotpStep());
      if (step.isEmpty()) {
        return Mono.just(new LoginOutcome.Refused());
      }
      return store
          .succeeded(account.id(), step.getAsLong())
          .flatMap(fresh -> fresh ? startFamily(account) : Mono.just(new LoginOutcome.Refused()));
    }
    if (credentials.recoveryCode() != null) {
      String hash = Secrets.sha256(Secrets.canonicalRecoveryCode(credentials.recoveryCode()));
      return store
          .useRecoveryCode(account.id(), hash, now)
          .flatMap(
              used ->
                  used
                      ? store.succeeded(account.id(), null).then(startFamily(account))
                      : Mono.just(new LoginOutcome.Refused()));
    }
    return Mono.just(new LoginOutcome.SecondFactorRequired(true));
  }

  private Mono<LoginOutcome> startFamily(Account account) {
    return issue(account, UUID.randomUUID().toString());
  }

  /** Uses a refresh token up and answers new tokens of its family. */
  public Mono<LoginOutcome> refresh(String refreshToken) {
    if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 100) {
      return Mono.just(new LoginOutcome.Refused());
    }
    if (keys.signer().isEmpty()) {
      return Mono.just(new LoginOutcome.NotReady());
    }
    Instant now = clock.instant();
    Mono<LoginOutcome> refresh =
        store
            .refreshTokenForUpdate(Secrets.sha256(refreshToken))
            .flatMap(
                token -> {
                  if (token.revokedAt() != null) {
                    return Mono.just((LoginOutcome) new LoginOutcome.Refused());
                  }
                  if (token.usedAt() != null) {
                    return store
                        .revokeFamily(token.familyId(), now)
                        .thenReturn((LoginOutcome) new LoginOutcome.Refused());
                  }
                  if (!now.isBefore(token.expiresAt())) {
                    return Mono.just((LoginOutcome) new LoginOutcome.Refused());
                  }
                  return store
                      .byId(token.accountId())
                      .filter(account -> !account.disabled())
                      .flatMap(
                          account ->
                              store
                                  .refreshTokenUsed(token.tokenHash(), now)
                                  .then(issue(account, token.familyId())));
                })
            .defaultIfEmpty(new LoginOutcome.Refused());
    return transactions.transactional(refresh);
  }

  /** Revokes the refresh token's family; an unknown token changes nothing. */
  public Mono<Void> logout(String refreshToken) {
    if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 100) {
      return Mono.empty();
    }
    Instant now = clock.instant();
    return store
        .refreshTokenForUpdate(Secrets.sha256(refreshToken))
        .flatMap(token -> store.revokeFamily(token.familyId(), now))
        .as(transactions::transactional)
        .then();
  }

  private Mono<LoginOutcome> issue(Account account, String familyId) {
    return Mono.defer(
        () -> {
          var signer = keys.signer();
          if (signer.isEmpty()) {
            return Mono.just(new LoginOutcome.NotReady());
          }
          Instant now = clock.instant();
          String refreshToken = Secrets.token();
          Instant refreshExpires = now.plus(refreshTokenLifetime);
          String accessToken =
              AccessTokens.sign(
                  signer.get(),
                  new AccessTokens.Claims(
                      account.id(),
                      account.email(),
                      account.roles().stream().map(Role::name).sorted().toList(),
                      account.events().stream().sorted().toList(),
                      now,
                      now.plus(accessTokenLifetime)));
          return store
              .storeRefreshToken(
                  new RefreshToken(
                      Secrets.sha256(refreshToken),
                      familyId,
                      account.id(),
                      now,
                      refreshExpires,
                      null,
                      null))
              .thenReturn(
                  new LoginOutcome.Tokens(
                      account, accessToken, accessTokenLifetime, refreshToken, refreshExpires));
        });
  }
}
