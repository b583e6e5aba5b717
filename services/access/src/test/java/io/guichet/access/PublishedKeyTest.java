package io.guichet.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.platform.access.AccessTokens;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PublishedKeyTest {

  private static final Instant FROM = Instant.parse("2031-06-21T18:00:00.700Z");

  @Test
  void a_key_covers_tokens_issued_from_its_start_until_it_is_retired() {
    var jwk = AccessTokens.newSigningKey().toPublicJWK();
    PublishedKey current = new PublishedKey(jwk.getKeyID(), jwk, FROM, null);
    Instant now = FROM.plus(Duration.ofMinutes(5));
    // A token's iat has whole seconds: one issued in the key's first second is covered.
    assertThat(current.accepts(Instant.parse("2031-06-21T18:00:00Z"), now)).isTrue();
    assertThat(current.accepts(Instant.parse("2031-06-21T17:59:59Z"), now)).isFalse();
    assertThat(current.accepts(null, now)).isFalse();

    PublishedKey retired = new PublishedKey(jwk.getKeyID(), jwk, FROM, now);
    assertThat(retired.accepts(FROM, now.minusSeconds(1))).isTrue();
    assertThat(retired.accepts(FROM, now)).isFalse();
  }
}
