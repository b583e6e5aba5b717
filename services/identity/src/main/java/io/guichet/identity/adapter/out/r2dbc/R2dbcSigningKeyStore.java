package io.guichet.identity.adapter.out.r2dbc;

import com.nimbusds.jose.jwk.ECKey;
import io.guichet.identity.application.SigningKeyStore;
import io.guichet.identity.application.StoredKey;
import io.guichet.platform.secrets.SecretBox;
import io.r2dbc.spi.Readable;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Signing keys, the private JWK sealed under the master key. */
public final class R2dbcSigningKeyStore implements SigningKeyStore {

  /**
   * Names identity's rotation lock among PostgreSQL advisory locks ("keyrotat"); it must differ
   * from the outbox relay's, which the relay holds for as long as it runs.
   */
  private static final long ROTATION_LOCK = 0x6b6579726f746174L;

  private final DatabaseClient database;
  private final SecretBox box;

  public R2dbcSigningKeyStore(DatabaseClient database, SecretBox box) {
    this.database = database;
    this.box = box;
  }

  @Override
  public Flux<StoredKey> usable(Instant now) {
    return database
        .sql(
            "SELECT sealed_key, valid_from, valid_until FROM signing_keys"
                + " WHERE valid_until IS NULL OR valid_until > :now ORDER BY valid_from DESC")
        .bind("now", R2dbcAccountStore.utc(now))
        .map(row -> stored(row))
        .all();
  }

  @Override
  public Flux<StoredKey> rotate(StoredKey key, Instant retireAt) {
    Flux<StoredKey> retired =
        database
            .sql(
                "UPDATE signing_keys SET valid_until = :retire WHERE valid_until IS NULL"
                    + " RETURNING sealed_key, valid_from, valid_until")
            .bind("retire", R2dbcAccountStore.utc(retireAt))
            .map(row -> stored(row))
            .all();
    Mono<Void> insert =
        database
            .sql(
                "INSERT INTO signing_keys (key_id, sealed_key, public_key, valid_from)"
                    + " VALUES (:id, :sealed, :public, :from)")
            .bind("id", key.keyId())
            .bind("sealed", box.seal(key.key().toJSONString().getBytes(StandardCharsets.UTF_8)))
            .bind("public", key.publicJwk())
            .bind("from", R2dbcAccountStore.utc(key.validFrom()))
            .then();
    return retired.collectList().flatMapMany(list -> insert.thenMany(Flux.fromIterable(list)));
  }

  @Override
  public Mono<Void> lock() {
    return database.sql("SELECT pg_advisory_xact_lock(:lock)").bind("lock", ROTATION_LOCK).then();
  }

  private StoredKey stored(Readable row) {
    return new StoredKey(
        open(row.get("sealed_key", byte[].class)),
        R2dbcAccountStore.instant(row, "valid_from"),
        R2dbcAccountStore.instant(row, "valid_until"));
  }

  private ECKey open(byte[] sealed) {
    try {
      return ECKey.parse(new String(box.open(sealed), StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new IllegalStateException("a stored signing key is not an EC JWK", e);
    }
  }
}
