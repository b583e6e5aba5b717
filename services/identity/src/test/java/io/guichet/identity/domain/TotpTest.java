package io.guichet.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {

  // RFC 6238, appendix B: the SHA-1 secret, and the last six digits of its eight-digit codes.
  private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void codes_match_the_rfc_6238_test_vectors() {
    assertThat(Totp.code(SECRET, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
    assertThat(Totp.code(SECRET, Totp.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
    assertThat(Totp.code(SECRET, Totp.step(Instant.ofEpochSecond(1234567890)))).isEqualTo("005924");
    assertThat(Totp.code(SECRET, Totp.step(Instant.ofEpochSecond(2000000000)))).isEqualTo("279037");
  }

  @Test
  void a_code_is_accepted_one_step_either_side_and_only_after_the_last_used_step() {
    Instant now = Instant.ofEpochSecond(1111111109);
    long step = Totp.step(now);
    String previous = Totp.code(SECRET, step - 1);
    assertThat(Totp.verify(SECRET, previous, now, 0)).hasValue(step - 1);
    assertThat(Totp.verify(SECRET, Totp.code(SECRET, step + 1), now, 0)).hasValue(step + 1);
    assertThat(Totp.verify(SECRET, Totp.code(SECRET, step - 2), now, 0)).isEmpty();
    assertThat(Totp.verify(SECRET, previous, now, step - 1)).as("used already").isEmpty();
    assertThat(Totp.verify(SECRET, "12345", now, 0)).isEmpty();
    assertThat(Totp.verify(SECRET, null, now, 0)).isEmpty();
  }

  @Test
  void the_enrolment_uri_carries_the_secret_in_base32() {
    assertThat(Totp.uri("Guichet", "ana@example.org", SECRET))
        .isEqualTo(
            "otpauth://totp/Guichet:ana%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=Guichet&algorithm=SHA1&digits=6&period=30");
  }
}
