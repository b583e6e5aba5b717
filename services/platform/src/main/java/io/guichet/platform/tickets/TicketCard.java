package io.guichet.platform.tickets;

import java.security.PrivateKey;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A ticket's rotating code: the signed card {@code GT2.<claims>.<signature>} ({@code <claims>} the
 * Base64url of {@code ticketId|eventId|offerId|keyId}, signed with the event's Ed25519 key as
 * {@link TicketPayload}), followed by {@code .<step>.<code>}: the time step and the {@link
 * RotatingCode} of the ticket's code key for that step. Unlike the static GT1 payload the card
 * carries no secret: a screenshot shows the card and one step's code, which stops working within
 * seconds. The signature still proves, without a database, that the card is the event's.
 */
public record TicketCard(String ticketId, String eventId, String offerId, String keyId) {

  private static final String VERSION = "GT2";
  private static final Pattern SHAPE =
      Pattern.compile("GT2\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[0-9]{1,12}\\.[0-9]{8}");

  /** The signed card (without a code), which the buyer's device keeps and completes. */
  public String sign(PrivateKey eventKey) {
    return SignedClaims.sign(VERSION, eventKey, ticketId, eventId, offerId, keyId);
  }

  /**
   * A presented code, read but not trusted.
   *
   * @param signed the signed card ({@code GT2.<claims>.<signature>}), whose signature {@link
   *     TicketPayload#verifies} checks
   */
  public record Presented(String signed, TicketCard card, long step, String code) {}

  /** Whether the text has the shape of a presented rotating code, genuine or not. */
  public static boolean wellFormed(String text) {
    return text != null && SHAPE.matcher(text).matches();
  }

  /** Reads a presented code: empty when it is not well-formed or its claims are not readable. */
  public static Optional<Presented> read(String text) {
    if (!wellFormed(text)) {
      return Optional.empty();
    }
    String[] parts = text.split("\\.", -1);
    return SignedClaims.read(parts[1], 4, 4)
        .map(
            claims ->
                new Presented(
                    parts[0] + "." + parts[1] + "." + parts[2],
                    new TicketCard(claims[0], claims[1], claims[2], claims[3]),
                    Long.parseLong(parts[3]),
                    parts[4]));
  }

  /** The text to show at {@code step}: the signed card completed with that step's code. */
  public static String present(String signedCard, byte[] codeKey, long step) {
    return signedCard + "." + step + "." + RotatingCode.code(codeKey, step);
  }
}
