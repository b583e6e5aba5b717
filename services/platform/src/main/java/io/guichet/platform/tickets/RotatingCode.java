package io.guichet.platform.tickets;

import io.guichet.platform.otp.Hotp;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The time-based code of a ticket (RFC 6238: HMAC-SHA-256, 15-second steps from the Unix epoch, 8
 * digits), keyed with the ticket's code key, itself derived from the ticket's final key (account
 * key and purchase key): {@code HMAC-SHA256(finalKey, "guichet-rotating-code|v1")}. A new purchase
 * key (a reissue, a transfer) gives a new code key, so an old device's codes stop working. A
 * scanner accepts a code for the current step or one step either side (clocks of phones and
 * scanners drift); an older one is expired.
 */
public final class RotatingCode {

  public static final String ALGORITHM = "HmacSHA256";
  public static final int DIGITS = 8;
  public static final long PERIOD_SECONDS = 15;

  /** Steps either side of the scanner's clock at which a code is still accepted. */
  public static final int TOLERANCE_STEPS = 1;

  private static final byte[] LABEL =
      "guichet-rotating-code|v1".getBytes(StandardCharsets.US_ASCII);

  private RotatingCode() {}

  /** The ticket's code key, from its final key. */
  public static byte[] key(byte[] finalKey) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(finalKey, ALGORITHM));
      return mac.doFinal(LABEL);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is unavailable", e);
    }
  }

  public static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), PERIOD_SECONDS);
  }

  public static String code(byte[] codeKey, long step) {
    return Hotp.code(ALGORITHM, codeKey, step, DIGITS);
  }

  /** What a check of a presented step and code found. */
  public enum Check {
    /** The code of its step, and the step within the tolerance of now. */
    VALID,
    /** A step before the tolerance: a screenshot, or a code shown long ago. */
    EXPIRED,
    /** A step after the tolerance: a clock far ahead, or a code made up. */
    TOO_EARLY,
    /** Not the code of its step for this key: forged, or another (older) key's. */
    WRONG
  }

  public static Check check(byte[] codeKey, long step, String code, Instant now) {
    boolean genuine =
        code != null
            && MessageDigest.isEqual(
                code(codeKey, step).getBytes(StandardCharsets.US_ASCII),
                code.getBytes(StandardCharsets.US_ASCII));
    if (!genuine) {
      return Check.WRONG;
    }
    long current = step(now);
    if (step < current - TOLERANCE_STEPS) {
      return Check.EXPIRED;
    }
    return step > current + TOLERANCE_STEPS ? Check.TOO_EARLY : Check.VALID;
  }
}
