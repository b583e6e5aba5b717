package io.guichet.platform.otp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-based one-time codes (RFC 4226), the core of the time-based ones (RFC 6238): the HMAC of the
 * counter as 8 big-endian bytes, dynamically truncated to 31 bits, modulo 10^digits, zero-padded.
 * RFC 6238 allows HMAC-SHA-1, -256 and -512; identity's second factor uses SHA-1 (what
 * authenticator apps read), tickets' rotating codes SHA-256.
 */
public final class Hotp {

  private static final int[] POWERS = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  private Hotp() {}

  /**
   * @param algorithm a JCA MAC name: {@code HmacSHA1}, {@code HmacSHA256} or {@code HmacSHA512}
   * @param digits 6 to 9
   */
  public static String code(String algorithm, byte[] key, long counter, int digits) {
    if (digits < 6 || digits > 9) {
      throw new IllegalArgumentException("digits must be 6 to 9, not " + digits);
    }
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
      int offset = hash[hash.length - 1] & 0x0f;
      int binary =
          ((hash[offset] & 0x7f) << 24)
              | ((hash[offset + 1] & 0xff) << 16)
              | ((hash[offset + 2] & 0xff) << 8)
              | (hash[offset + 3] & 0xff);
      String code = Integer.toString(binary % POWERS[digits]);
      return "0".repeat(digits - code.length()) + code;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is unavailable", e);
    }
  }
}
