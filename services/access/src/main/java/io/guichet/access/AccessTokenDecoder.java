package io.guichet.access;

import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jwt.SignedJWT;
import io.guichet.platform.access.AccessTokens;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks access tokens against the published keys: ES256 only (so {@code alg: none}, HMAC with a
 * public key as secret and every other algorithm are refused), a key identity published whose
 * validity covers the token, a signature that verifies, then issuer, audience, type ({@code
 * at+jwt}), expiry and not-before within the tolerated clock skew, and an account identity has not
 * disabled.
 */
public final class AccessTokenDecoder {

  private AccessTokenDecoder() {}

  /** Verified tokens remembered, at most; past it, new ones are verified but not remembered. */
  private static final int REMEMBERED = 200_000;

  /**
   * @param maxLifetime the longest a token may live from its issue to its expiry: a token without
   *     both times, or claiming longer, or issued in the future, is refused
   */
  public static ReactiveJwtDecoder of(
      SigningKeyRing keys, Clock clock, Duration clockSkew, Duration maxLifetime) {
    DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
    verifiers.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
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
            .jwtProcessorCustomizer(processor -> processor.setJWSVerifierFactory(verifiers))
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
                // A disabled account's tokens are refused as soon as identity's fact is read.
                new JwtClaimValidator<Object>(
                    "sub", subject -> subject == null || !keys.disabled(subject.toString())),
                lifetime(clock, clockSkew, maxLifetime),
                new JwtTypeValidator(AccessTokens.TYPE.getType())));
    decoder.setJwtValidator(validators);
    return new Remembering(decoder, validators, keys, clock);
  }

  /**
   * Remembers the tokens whose signature verified (a buyer sends the same token with each request
   * of an on-sale: reserve, follow, pay, fetch tickets), so that only their first use pays for the
   * signature. Every use still checks the claims (expiry above all) and that the key is still
   * published and valid for the token; forgotten once expired.
   */
  private static final class Remembering implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder verifying;
    private final OAuth2TokenValidator<Jwt> validators;
    private final SigningKeyRing keys;
    private final Clock clock;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    Remembering(
        ReactiveJwtDecoder verifying,
        OAuth2TokenValidator<Jwt> validators,
        SigningKeyRing keys,
        Clock clock) {
      this.verifying = verifying;
      this.validators = validators;
      this.keys = keys;
      this.clock = clock;
    }

    @Override
    public Mono<Jwt> decode(String token) {
      Jwt known = verified.get(token);
      if (known == null) {
        return verifying.decode(token).doOnNext(jwt -> remember(token, jwt));
      }
      Instant now = clock.instant();
      boolean keyStillGood =
          keys.key(String.valueOf(known.getHeaders().get("kid")))
              .filter(key -> key.accepts(known.getIssuedAt(), now))
              .isPresent();
      OAuth2TokenValidatorResult result = validators.validate(known);
      if (!keyStillGood || result.hasErrors()) {
        verified.remove(token);
        return Mono.error(
            new BadJwtException(
                "An error occurred while attempting to decode the Jwt: the token is no longer"
                    + " valid"));
      }
      return Mono.just(known);
    }

    private void remember(String token, Jwt jwt) {
      if (verified.size() >= REMEMBERED) {
        Instant now = clock.instant();
        verified
            .values()
            .removeIf(old -> old.getExpiresAt() == null || !old.getExpiresAt().isAfter(now));
      }
      if (verified.size() < REMEMBERED) {
        verified.put(token, jwt);
      }
    }
  }

  /** Both times present, no longer apart than identity issues, and not issued in the future. */
  static OAuth2TokenValidator<Jwt> lifetime(Clock clock, Duration skew, Duration maxLifetime) {
    return jwt -> {
      Instant issued = jwt.getIssuedAt();
      Instant expires = jwt.getExpiresAt();
      String wrong = null;
      if (issued == null || expires == null) {
        wrong = "The token has no issue or expiry time";
      } else if (Duration.between(issued, expires).compareTo(maxLifetime) > 0) {
        wrong = "The token claims a longer life than identity gives";
      } else if (issued.isAfter(clock.instant().plus(skew))) {
        wrong = "The token was issued in the future";
      }
      return wrong == null
          ? OAuth2TokenValidatorResult.success()
          : OAuth2TokenValidatorResult.failure(
              new org.springframework.security.oauth2.core.OAuth2Error(
                  "invalid_token", wrong, null));
    };
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
