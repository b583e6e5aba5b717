package io.guichet.platform.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Guichet's access tokens: JWTs (RFC 9068 profile) signed ES256 by identity, naming the account
 * ({@code sub}), its roles and, for a scanner, the events it may scan for.
 */
public final class AccessTokens {

  /** The issuer every service expects in {@code iss}. */
  public static final String ISSUER = "guichet-identity";

  /** The audience every service expects in {@code aud}. */
  public static final String AUDIENCE = "guichet";

  public static final String ROLES = "roles";
  public static final String EVENTS = "events";
  public static final String EMAIL = "email";

  /** The only algorithm accepted: ECDSA P-256 with SHA-256. */
  public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES256;

  public static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

  private AccessTokens() {}

  /** A new signing key pair with a random key id. */
  public static ECKey newSigningKey() {
    try {
      return new ECKeyGenerator(Curve.P_256)
          .keyID(UUID.randomUUID().toString())
          .algorithm(ALGORITHM)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
  }

  /** What an access token says. */
  public record Claims(
      String accountId,
      String email,
      List<String> roles,
      List<String> events,
      Instant issuedAt,
      Instant expiresAt) {}

  /** Signs an access token with this private key; its {@code kid} names the key. */
  public static String sign(ECKey key, Claims claims) {
    JWTClaimsSet set =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(claims.accountId())
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(claims.issuedAt()))
            .notBeforeTime(Date.from(claims.issuedAt()))
            .expirationTime(Date.from(claims.expiresAt()))
            .claim(EMAIL, claims.email())
            .claim(ROLES, claims.roles())
            .claim(EVENTS, claims.events())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(ALGORITHM).keyID(key.getKeyID()).type(TYPE).build(), set);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return jwt.serialize();
  }
}
