package io.guichet.identity.adapter.out.r2dbc;

import io.guichet.identity.application.AccountStore;
import io.guichet.identity.application.RefreshToken;
import io.guichet.identity.domain.Account;
import io.guichet.identity.domain.LoginThrottle;
import io.guichet.platform.access.Role;
import io.guichet.platform.secrets.SecretBox;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Accounts, recovery codes and refresh tokens; TOTP secrets are sealed with the master key. */
public final class R2dbcAccountStore implements AccountStore {

  private static final String COLUMNS =
      "id, email, password_hash, roles, events, language, disabled_at, mfa_secret, mfa_enabled,"
          + " last_totp_step, locked_until";

  private final DatabaseClient database;
  private final SecretBox box;

  public R2dbcAccountStore(DatabaseClient database, SecretBox box) {
    this.database = database;
    this.box = box;
  }

  @Override
  public Mono<Boolean> create(Account account, Instant at) {
    return database
        .sql(
            "INSERT INTO accounts (id, email, password_hash, roles, events, language, created_at)"
                + " VALUES (:id, :email, :hash, :roles, :events, :language, :at)"
                + " ON CONFLICT (email) DO NOTHING")
        .bind("id", account.id())
        .bind("email", account.email())
        .bind("hash", account.passwordHash())
        .bind("roles", names(account.roles()))
        .bind("events", account.events().toArray(String[]::new))
        .bind("language", account.language())
        .bind("at", utc(at))
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<Account> byEmail(String email) {
    return one("SELECT " + COLUMNS + " FROM accounts WHERE email = :key", email);
  }

  @Override
  public Mono<Account> byId(String id) {
    return one("SELECT " + COLUMNS + " FROM accounts WHERE id = :key", id);
  }

  private Mono<Account> one(String sql, String key) {
    return database.sql(sql).bind("key", key).map(row -> account(row)).one();
  }

  @Override
  public Flux<Account> page(int page, int size) {
    return database
        .sql(
            "SELECT "
                + COLUMNS
                + " FROM accounts ORDER BY created_at, id LIMIT :size OFFSET :offset")
        .bind("size", size)
        .bind("offset", (long) page * size)
        .map(row -> account(row))
        .all();
  }

  @Override
  public Mono<Long> count() {
    return database
        .sql("SELECT count(*) AS n FROM accounts")
        .map(row -> row.get("n", Long.class))
        .one();
  }

  @Override
  public Mono<Integer> attempt(String accountId, Instant now) {
    // Counted before the password is checked; the attempt that reaches the limit locks at once.
    return database
        .sql(
            "UPDATE accounts SET failed_logins = failed_logins + 1,"
                + " locked_until = CASE WHEN failed_logins + 1 >= :free"
                + "   THEN CAST(:now AS timestamptz) + make_interval(secs => LEAST(:longest,"
                + "     :first * power(2, LEAST(failed_logins + 1 - :free, 10))))"
                + "   ELSE locked_until END"
                + " WHERE id = :id AND (locked_until IS NULL OR locked_until <= :now)"
                + " RETURNING failed_logins")
        .bind("id", accountId)
        .bind("now", utc(now))
        .bind("free", LoginThrottle.FREE_ATTEMPTS)
        .bind("first", (double) LoginThrottle.FIRST_LOCK.toSeconds())
        .bind("longest", (double) LoginThrottle.LONGEST_LOCK.toSeconds())
        .map(row -> row.get("failed_logins", Integer.class))
        .one();
  }

  @Override
  public Mono<Boolean> succeeded(String accountId, Long totpStep) {
    if (totpStep == null) {
      return database
          .sql("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = :id")
          .bind("id", accountId)
          .fetch()
          .rowsUpdated()
          .map(rows -> rows == 1);
    }
    return database
        .sql(
            "UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_totp_step = :step"
                + " WHERE id = :id AND last_totp_step < :step")
        .bind("id", accountId)
        .bind("step", totpStep)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<Void> pendingSecondFactor(String accountId, byte[] secret) {
    return database
        .sql("UPDATE accounts SET mfa_secret = :secret WHERE id = :id AND NOT mfa_enabled")
        .bind("id", accountId)
        .bind("secret", box.seal(secret))
        .then();
  }

  @Override
  public Mono<Boolean> activateSecondFactor(
      String accountId, long step, List<String> recoveryCodeHashes) {
    Mono<Boolean> activated =
        database
            .sql(
                "UPDATE accounts SET mfa_enabled = TRUE, last_totp_step = :step"
                    + " WHERE id = :id AND NOT mfa_enabled AND mfa_secret IS NOT NULL"
                    + " AND last_totp_step < :step")
            .bind("id", accountId)
            .bind("step", step)
            .fetch()
            .rowsUpdated()
            .map(rows -> rows == 1);
    return activated.flatMap(
        done ->
            !done
                ? Mono.just(false)
                : database
                    .sql("DELETE FROM recovery_codes WHERE account_id = :id")
                    .bind("id", accountId)
                    .then()
                    .thenMany(
                        Flux.fromIterable(recoveryCodeHashes)
                            .concatMap(
                                hash ->
                                    database
                                        .sql(
                                            "INSERT INTO recovery_codes (account_id, code_hash)"
                                                + " VALUES (:id, :hash)")
                                        .bind("id", accountId)
                                        .bind("hash", hash)
                                        .then()))
                    .then(Mono.just(true)));
  }

  @Override
  public Mono<Boolean> useRecoveryCode(String accountId, String codeHash, Instant at) {
    return database
        .sql(
            "UPDATE recovery_codes SET used_at = :at"
                + " WHERE account_id = :id AND code_hash = :hash AND used_at IS NULL")
        .bind("id", accountId)
        .bind("hash", codeHash)
        .bind("at", utc(at))
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<Boolean> setRoles(String accountId, Set<Role> roles, Set<String> events) {
    return database
        .sql("UPDATE accounts SET roles = :roles, events = :events WHERE id = :id")
        .bind("id", accountId)
        .bind("roles", names(roles))
        .bind("events", events.toArray(String[]::new))
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<Boolean> disable(String accountId, Instant at) {
    return database
        .sql("UPDATE accounts SET disabled_at = COALESCE(disabled_at, :at) WHERE id = :id")
        .bind("id", accountId)
        .bind("at", utc(at))
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<Void> storeRefreshToken(RefreshToken token) {
    return database
        .sql(
            "INSERT INTO refresh_tokens (token_hash, family_id, account_id, issued_at, expires_at)"
                + " VALUES (:hash, :family, :account, :issued, :expires)")
        .bind("hash", token.tokenHash())
        .bind("family", token.familyId())
        .bind("account", token.accountId())
        .bind("issued", utc(token.issuedAt()))
        .bind("expires", utc(token.expiresAt()))
        .then();
  }

  @Override
  public Mono<RefreshToken> refreshTokenForUpdate(String tokenHash) {
    return database
        .sql(
            "SELECT token_hash, family_id, account_id, issued_at, expires_at, used_at, revoked_at"
                + " FROM refresh_tokens WHERE token_hash = :hash FOR UPDATE")
        .bind("hash", tokenHash)
        .map(
            row ->
                new RefreshToken(
                    row.get("token_hash", String.class),
                    row.get("family_id", String.class),
                    row.get("account_id", String.class),
                    instant(row, "issued_at"),
                    instant(row, "expires_at"),
                    instant(row, "used_at"),
                    instant(row, "revoked_at")))
        .one();
  }

  @Override
  public Mono<Void> refreshTokenUsed(String tokenHash, Instant at) {
    return database
        .sql("UPDATE refresh_tokens SET used_at = :at WHERE token_hash = :hash")
        .bind("hash", tokenHash)
        .bind("at", utc(at))
        .then();
  }

  @Override
  public Mono<Long> revokeFamily(String familyId, Instant at) {
    return revokeWhere("family_id", familyId, at);
  }

  @Override
  public Mono<Long> revokeAllRefreshTokens(String accountId, Instant at) {
    return revokeWhere("account_id", accountId, at);
  }

  /**
   * Revokes the live refresh tokens whose {@code column} (a constant of this class) is {@code
   * value}.
   */
  private Mono<Long> revokeWhere(String column, String value, Instant at) {
    return database
        .sql(
            "UPDATE refresh_tokens SET revoked_at = :at WHERE "
                + column
                + " = :value AND revoked_at IS NULL")
        .bind("value", value)
        .bind("at", utc(at))
        .fetch()
        .rowsUpdated();
  }

  private Account account(Readable row) {
    byte[] sealed = row.get("mfa_secret", byte[].class);
    Long step = row.get("last_totp_step", Long.class);
    return new Account(
        row.get("id", String.class),
        row.get("email", String.class),
        row.get("password_hash", String.class),
        Arrays.stream(row.get("roles", String[].class))
            .map(Role::valueOf)
            .collect(Collectors.toSet()),
        Set.of(row.get("events", String[].class)),
        row.get("language", String.class),
        row.get("disabled_at", OffsetDateTime.class) != null,
        sealed == null ? null : box.open(sealed),
        Boolean.TRUE.equals(row.get("mfa_enabled", Boolean.class)),
        step == null ? 0 : step,
        instant(row, "locked_until"));
  }

  static Instant instant(Readable row, String column) {
    OffsetDateTime value = row.get(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  private static String[] names(Set<Role> roles) {
    return roles.stream().map(Role::name).sorted().toArray(String[]::new);
  }
}
