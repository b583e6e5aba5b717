package io.guichet.identity.application;

import io.guichet.identity.domain.Account;
import java.time.Duration;
import java.time.Instant;

/** What a login or a refresh ends in. */
public sealed interface LoginOutcome {

  /** Tokens for the account: a 15-minute access token and a rotated refresh token. */
  record Tokens(
      Account account,
      String accessToken,
      Duration accessTokenLifetime,
      String refreshToken,
      Instant refreshTokenExpiresAt)
      implements LoginOutcome {}

  /**
   * Wrong email, password, code, or a refresh token that is unknown, used, expired or revoked; or
   * an account locked after failures in a row, or disabled: answered alike, so that no answer tells
   * whether an account exists.
   */
  record Refused() implements LoginOutcome {}

  /** The password was right but the account needs a TOTP or recovery code. */
  record SecondFactorRequired(boolean enrolled) implements LoginOutcome {}

  /** No signing key is known to the services yet (identity just started): try again shortly. */
  record NotReady() implements LoginOutcome {}
}
