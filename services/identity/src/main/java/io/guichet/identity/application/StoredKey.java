package io.guichet.identity.application;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Instant;

/** A signing key pair identity keeps; {@code validUntil} is null while it is current. */
public record StoredKey(ECKey key, Instant validFrom, Instant validUntil) {

  public String keyId() {
    return key.getKeyID();
  }

  /** The public half, as a JSON Web Key: what is published. */
  public String publicJwk() {
    return key.toPublicJWK().toJSONString();
  }
}
