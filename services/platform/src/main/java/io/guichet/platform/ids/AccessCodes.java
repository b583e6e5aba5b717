package io.guichet.platform.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Access codes as buyers type them and as Guichet's facts name them. A code is 4 to 40 letters,
 * digits or '-', starting with a letter or digit, and case-insensitive ({@code fanclub-24} is
 * {@code FANCLUB-24}). The code itself stays in the catalog's database: facts and requests carry
 * its digest, the SHA-256 of the event id, a line feed and the code in upper case, so that the
 * allocator can match a buyer's code with the organizer's without the topics holding codes that
 * anyone reading them could use.
 */
public final class AccessCodes {

  /** What a code looks like (either case). */
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9-]{3,39}";

  public static final String RULE =
      "must be 4 to 40 letters, digits or '-', starting with a letter or digit";

  private AccessCodes() {}

  /** The code as stored and compared: upper case. */
  public static String canonical(String code) {
    return code.strip().toUpperCase(Locale.ROOT);
  }

  /** The digest of an event's code, as facts and requests carry it. */
  public static String digest(String eventId, String code) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] hash =
          sha256.digest((eventId + "\n" + canonical(code)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
