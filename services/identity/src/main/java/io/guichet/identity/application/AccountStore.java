package io.guichet.identity.application;

import io.guichet.identity.domain.Account;
import io.guichet.platform.access.Role;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where accounts, their second factors and their refresh tokens are kept. */
public interface AccountStore {

  /** Creates the account; false when its email is taken. */
  Mono<Boolean> create(Account account, Instant at);

  Mono<Account> byEmail(String email);

  Mono<Account> byId(String id);

  Flux<Account> page(int page, int size);

  Mono<Long> count();

  /**
   * Counts a login attempt before its password is checked, and locks the account when that makes
   * too many failures in a row. Empty when the account is locked already.
   */
  Mono<Integer> attempt(String accountId, Instant now);

  /** Clears the failures; with a TOTP step, only if it is later than the last one used. */
  Mono<Boolean> succeeded(String accountId, Long totpStep);

  Mono<Void> pendingSecondFactor(String accountId, byte[] secret);

  /** Turns the pending second factor on, with these recovery codes (hashed). */
  Mono<Boolean> activateSecondFactor(String accountId, long step, List<String> recoveryCodeHashes);

  /** Uses a recovery code (hashed) once; false if unknown or used. */
  Mono<Boolean> useRecoveryCode(String accountId, String codeHash, Instant at);

  Mono<Boolean> setRoles(String accountId, Set<Role> roles, Set<String> events);

  Mono<Boolean> disable(String accountId, Instant at);

  Mono<Void> storeRefreshToken(RefreshToken token);

  /** The refresh token with this hash, locked for the rest of the transaction. */
  Mono<RefreshToken> refreshTokenForUpdate(String tokenHash);

  Mono<Void> refreshTokenUsed(String tokenHash, Instant at);

  Mono<Long> revokeFamily(String familyId, Instant at);

  Mono<Long> revokeAllRefreshTokens(String accountId, Instant at);
}
