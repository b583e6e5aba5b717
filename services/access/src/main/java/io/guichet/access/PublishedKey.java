package io.guichet.access;

import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A public key identity published: tokens whose {@code kid} names it verify with it, if they were
 * issued from {@code validFrom} and are used before {@code validUntil} (null while it is current).
 */
public record PublishedKey(String keyId, JWK jwk, Instant validFrom, Instant validUntil) {

  /** Whether a token issued at {@code issuedAt} may be accepted with this key at {@code now}. */
  public boolean accepts(Instant issuedAt, Instant now) {
    return issuedAt != null
        // A token's iat is in whole seconds.
        && !issuedAt.isBefore(validFrom.truncatedTo(ChronoUnit.SECONDS))
        && (validUntil == null || now.isBefore(validUntil));
  }
}
