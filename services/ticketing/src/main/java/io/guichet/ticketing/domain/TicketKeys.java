package io.guichet.ticketing.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The double-key scheme: a ticket's final key is derived from two secrets, the buyer's account key
 * (one per account, never shown, never published) and the purchase key (one per reservation):
 * {@code HMAC-SHA256(accountKey, "guichet-ticket|" + ticketId + "|" + purchaseKey)}. Neither alone
 * makes a ticket's key, and a new purchase key (a reissue) changes every key of the purchase.
 */
public final class TicketKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TicketKeys() {}

  /** A new random 256-bit key (an account's or a purchase's). */
  public static byte[] newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  public static byte[] finalKey(byte[] accountKey, byte[] purchaseKey, String ticketId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(accountKey, "HmacSHA256"));
      mac.update(("guichet-ticket|" + ticketId + "|").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(purchaseKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
