package io.guichet.platform.tickets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a ticket's QR code holds: {@code GT1.<claims>.<signature>}, where {@code <claims>} is the
 * Base64url of {@code ticketId|eventId|offerId|keyId|finalKey} and {@code <signature>} the
 * Base64url Ed25519 signature of the {@code GT1.<claims>} text by the event's key. A gate verifies
 * it with the event's public key alone, without a database; the final key ties it to the ticket's
 * current secret (its fingerprint is published, the key is not).
 *
 * @param finalKey the ticket's final key, derived from the buyer's account key and the purchase key
 */
public record TicketPayload(
    String ticketId, String eventId, String offerId, String keyId, byte[] finalKey) {

  private static final String VERSION = "GT1";
  private static final Pattern SHAPE = Pattern.compile("GT1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final Base64.Encoder B64 = SignedClaims.B64;
  private static final Base64.Decoder UNB64 = SignedClaims.UNB64;

  /** The signed text to put in the QR code. */
  public String sign(PrivateKey eventKey) {
    return SignedClaims.sign(
        VERSION, eventKey, ticketId, eventId, offerId, keyId, B64.encodeToString(finalKey));
  }

  /**
   * Whether the text has the shape of a payload ({@code GT1.<base64url>.<base64url>}): what a
   * scanner read from a Guichet ticket, genuine or not.
   */
  public static boolean wellFormed(String text) {
    return text != null && SHAPE.matcher(text).matches();
  }

  /**
   * Reads a payload without trusting it: empty when it is not well-formed or its claims are not
   * readable (bytes that are not UTF-8, ids with characters no id has). The signature is checked by
   * {@link #verifies}.
   */
  public static Optional<TicketPayload> read(String text) {
    if (!wellFormed(text)) {
      return Optional.empty();
    }
    return SignedClaims.read(text.split("\\.", -1)[1], 5, 4)
        .flatMap(
            claims -> {
              try {
                return Optional.of(
                    new TicketPayload(
                        claims[0], claims[1], claims[2], claims[3], UNB64.decode(claims[4])));
              } catch (IllegalArgumentException e) {
                return Optional.empty();
              }
            });
  }

  /** Whether {@code text} carries a valid signature by this public key. */
  public static boolean verifies(String text, PublicKey eventKey) {
    int last = text == null ? -1 : text.lastIndexOf('.');
    if (last < 0) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(eventKey);
      verifier.update(text.substring(0, last).getBytes(StandardCharsets.US_ASCII));
      String encoded = text.substring(last + 1);
      byte[] signature = UNB64.decode(encoded);
      // Only the canonical encoding: another text for the same bytes is not the signed payload.
      return B64.encodeToString(signature).equals(encoded) && verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The published fingerprint of a final key: SHA-256, hex. */
  public static String fingerprint(byte[] finalKey) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(finalKey));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** An Ed25519 public key from its published form (X.509, Base64). */
  public static PublicKey publicKey(String x509Base64) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(x509Base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TicketPayload that
        && ticketId.equals(that.ticketId)
        && eventId.equals(that.eventId)
        && offerId.equals(that.offerId)
        && keyId.equals(that.keyId)
        && MessageDigest.isEqual(finalKey, that.finalKey);
  }

  @Override
  public int hashCode() {
    return ticketId.hashCode();
  }

  @Override
  public String toString() {
    return "TicketPayload[" + ticketId + ", event " + eventId + ", key " + keyId + "]";
  }
}
