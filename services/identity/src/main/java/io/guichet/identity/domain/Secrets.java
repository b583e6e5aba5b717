package io.guichet.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Random secrets handed to a client once (refresh tokens, recovery codes) and stored only as their
 * SHA-256: they are long and random, so a fast hash is enough, and the database holds nothing that
 * can be replayed.
 */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

  /** How many recovery codes an enrolment gives. */
  public static final int RECOVERY_CODES = 10;

  private Secrets() {}

  /** 32 random bytes, URL-safe Base64: a refresh token. */
  public static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Recovery codes like {@code k7wq2-m9xhd-p3rta}: 15 characters from 31, about 74 bits. */
  public static List<String> recoveryCodes() {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < RECOVERY_CODES; i++) {
      StringBuilder code = new StringBuilder();
      for (int c = 0; c < 15; c++) {
        if (c > 0 && c % 5 == 0) {
          code.append('-');
        }
        code.append(RECOVERY_ALPHABET[RANDOM.nextInt(RECOVERY_ALPHABET.length)]);
      }
      codes.add(code.toString());
    }
    return codes;
  }

  /** A recovery code as typed (any case, with or without dashes and spaces), made canonical. */
  public static String canonicalRecoveryCode(String typed) {
    String bare = typed.toLowerCase().replaceAll("[\\s-]", "");
    if (bare.length() != 15) {
      return bare;
    }
    return bare.substring(0, 5) + "-" + bare.substring(5, 10) + "-" + bare.substring(10);
  }

  public static String sha256(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
