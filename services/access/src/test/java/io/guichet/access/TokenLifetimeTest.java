package io.guichet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

class TokenLifetimeTest {

  private static final Instant NOW = Instant.parse("2031-06-21T20:00:00Z");
  private final OAuth2TokenValidator<Jwt> lifetime =
      AccessTokenDecoder.lifetime(
          Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(30), Duration.ofMinutes(15));

  private static Jwt token(Instant issued, Instant expires) {
    Jwt.Builder token = Jwt.withTokenValue("t").header("alg", "ES256").subject("a-1");
    if (issued != null) {
      token.issuedAt(issued);
    }
    if (expires != null) {
      token.expiresAt(expires);
    }
    return token.build();
  }

  @Test
  void accepts_a_token_as_identity_issues_it() {
    assertThat(lifetime.validate(token(NOW, NOW.plus(Duration.ofMinutes(15)))).hasErrors())
        .isFalse();
  }

  @Test
  void refuses_a_token_without_expiry_or_issue_time() {
    assertThat(lifetime.validate(token(NOW, null)).hasErrors()).isTrue();
    assertThat(lifetime.validate(token(null, NOW.plus(Duration.ofMinutes(5)))).hasErrors())
        .isTrue();
  }

  @Test
  void refuses_a_token_that_claims_a_longer_life_than_identity_gives() {
    assertThat(lifetime.validate(token(NOW, NOW.plus(Duration.ofDays(365)))).hasErrors()).isTrue();
    assertThat(lifetime.validate(token(NOW, NOW.plus(Duration.ofMinutes(16)))).hasErrors())
        .isTrue();
  }

  @Test
  void refuses_a_token_issued_in_the_future() {
    Instant later = NOW.plus(Duration.ofMinutes(5));
    assertThat(lifetime.validate(token(later, later.plus(Duration.ofMinutes(10)))).hasErrors())
        .isTrue();
  }
}
