package io.guichet.booking.waitingroom.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a buyer admitted by a waiting room shows booking: signed (HMAC-SHA256 with a key the room
 * and booking share, as commercial waiting rooms hand their shop a token signed with a shared
 * secret), bound to one account and one event, short-lived. Its text is {@code
 * v1.<event>.<account>.<place>.<expires epoch ms>.<signature>}, the ids and signature in URL-safe
 * Base64 without padding, so it travels in a header as it is.
 *
 * @param eventId the event whose reservations it allows
 * @param customerId the account it was issued to
 * @param position the place its buyer was admitted at
 * @param expiresAt after this it is refused
 */
public record AdmissionPass(String eventId, String customerId, long position, Instant expiresAt) {

  private static final String VERSION = "v1";
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
  private static final int LONGEST = 1_024;

  /** Why a pass was not accepted, or that it was. */
  public sealed interface Check {
    record Valid(AdmissionPass pass) implements Check {}

    record Refused(String reason) implements Check {}
  }

  /** The pass's text, signed with {@code key}. */
  public String sign(byte[] key) {
    String body =
        String.join(
            ".",
            VERSION,
            encode(eventId),
            encode(customerId),
            Long.toString(position),
            Long.toString(expiresAt.toEpochMilli()));
    return body + "." + ENCODE.encodeToString(mac(key, body));
  }

  /**
   * Checks a pass presented for {@code eventId} by {@code customerId} at {@code now}: its signature
   * first (a forged pass says nothing else), then its event, account and expiry.
   */
  public static Check verify(
      String text, byte[] key, String eventId, String customerId, Instant now) {
    if (text == null || text.isEmpty() || text.length() > LONGEST) {
      return new Check.Refused("no admission pass was presented");
    }
    int lastDot = text.lastIndexOf('.');
    String[] parts = text.split("\\.", -1);
    if (parts.length != 6 || !VERSION.equals(parts[0]) || lastDot < 0) {
      return new Check.Refused("the admission pass is not one this room issued");
    }
    byte[] presented;
    try {
      presented = DECODE.decode(parts[5]);
    } catch (IllegalArgumentException e) {
      return new Check.Refused("the admission pass is not one this room issued");
    }
    if (!MessageDigest.isEqual(presented, mac(key, text.substring(0, lastDot)))) {
      return new Check.Refused("the admission pass's signature does not verify");
    }
    AdmissionPass pass;
    try {
      pass =
          new AdmissionPass(
              decode(parts[1]),
              decode(parts[2]),
              Long.parseLong(parts[3]),
              Instant.ofEpochMilli(Long.parseLong(parts[4])));
    } catch (IllegalArgumentException e) {
      return new Check.Refused("the admission pass is not one this room issued");
    }
    if (!pass.eventId().equals(eventId)) {
      return new Check.Refused("the admission pass is for another event");
    }
    if (!pass.customerId().equals(customerId)) {
      return new Check.Refused("the admission pass was issued to another account");
    }
    if (!now.isBefore(pass.expiresAt())) {
      return new Check.Refused("the admission pass expired at " + pass.expiresAt());
    }
    return new Check.Valid(pass);
  }

  private static String encode(String text) {
    return ENCODE.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String text) {
    return new String(DECODE.decode(text), StandardCharsets.UTF_8);
  }

  private static byte[] mac(byte[] key, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
