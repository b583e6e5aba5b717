package io.guichet.platform.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HotpTest {

  // RFC 6238, appendix B: its seeds, 30-second steps, 8 digits.
  private static final byte[] SHA1_SEED =
      "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SHA256_SEED =
      "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);

  private static long step(long unixSeconds) {
    return unixSeconds / 30;
  }

  @Test
  void codes_match_the_rfc_6238_test_vectors_for_sha1_and_sha256() {
    assertThat(Hotp.code("HmacSHA1", SHA1_SEED, step(59), 8)).isEqualTo("94287082");
    assertThat(Hotp.code("HmacSHA1", SHA1_SEED, step(1111111109), 8)).isEqualTo("07081804");
    assertThat(Hotp.code("HmacSHA256", SHA256_SEED, step(59), 8)).isEqualTo("46119246");
    assertThat(Hotp.code("HmacSHA256", SHA256_SEED, step(1111111109), 8)).isEqualTo("68084774");
    assertThat(Hotp.code("HmacSHA256", SHA256_SEED, step(1111111111), 8)).isEqualTo("67062674");
    assertThat(Hotp.code("HmacSHA256", SHA256_SEED, step(1234567890), 8)).isEqualTo("91819424");
    assertThat(Hotp.code("HmacSHA256", SHA256_SEED, step(2000000000), 8)).isEqualTo("90698825");
    assertThat(Hotp.code("HmacSHA256", SHA256_SEED, step(20000000000L), 8)).isEqualTo("77737706");
  }

  @Test
  void six_digits_are_the_last_six_and_other_lengths_are_refused() {
    assertThat(Hotp.code("HmacSHA1", SHA1_SEED, step(59), 6)).isEqualTo("287082");
    assertThatThrownBy(() -> Hotp.code("HmacSHA1", SHA1_SEED, 1, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hotp.code("HmacSHA1", SHA1_SEED, 1, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
