package io.guichet.access;

import com.nimbusds.jwt.SignedJWT;
import io.guichet.platform.access.AccessTokens;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Flux;

/**
 * Checks access tokens against the published keys: ES256 only (so {@code alg: none}, HMAC with a
 * public key as secret and every other algorithm are refused), a key identity published whose
 * validity covers the token, a signature that verifies, then issuer, audience, type ({@code
 * at+jwt}), expiry and not-before within the tolerated clock skew.
 */
public final class AccessTokenDecoder {

  private AccessTokenDecoder() {}

  public static ReactiveJwtDecoder of(SigningKeyRing keys, Clock clock, Duration clockSkew) {
    NimbusReactiveJwtDecoder decoder =
        NimbusReactiveJwtDecoder.withJwkSource(
                jwt ->
                    Flux.fromStream(
                        keys
                            .key(jwt.getHeader().getKeyID())
                            .filter(key -> key.accepts(issuedAt(jwt), clock.instant()))
                            .map(PublishedKey::jwk)
                            .stream()))
            .jwsAlgorithm(SignatureAlgorithm.ES256)
            .validateType(false)
            .build();
    JwtTimestampValidator times = new JwtTimestampValidator(clockSkew);
    times.setClock(clock);
    OAuth2TokenValidator<Jwt> validators =
        new DelegatingOAuth2TokenValidator<>(
            List.of(
                times,
                new JwtIssuerValidator(AccessTokens.ISSUER),
                new JwtClaimValidator<List<String>>(
                    "aud",
                    audience -> audience != null && audience.contains(AccessTokens.AUDIENCE)),
                new JwtClaimValidator<Object>("sub", subject -> subject != null),
                new JwtTypeValidator(AccessTokens.TYPE.getType())));
    decoder.setJwtValidator(validators);
    return decoder;
  }

  private static Instant issuedAt(SignedJWT jwt) {
    try {
      Date issued = jwt.getJWTClaimsSet().getIssueTime();
      return issued == null ? null : issued.toInstant();
    } catch (ParseException e) {
      return null;
    }
  }
}
