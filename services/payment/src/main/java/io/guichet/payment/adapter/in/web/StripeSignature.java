package io.guichet.payment.adapter.in.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature scheme: the {@code Stripe-Signature} header carries a timestamp {@code
 * t} and one or more {@code v1} signatures, each an HMAC-SHA256, keyed with the endpoint's secret,
 * of {@code t + "." + body}. A delivery is genuine when one {@code v1} matches; it is refused as a
 * replay when {@code t} is further from now than the tolerance, even if it matches.
 */
final class StripeSignature {

  private final byte[] secret;
  private final Duration tolerance;

  StripeSignature(String secret, Duration tolerance) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.tolerance = tolerance;
  }

  /** Why the delivery is refused, or empty when it is genuine and fresh. */
  Optional<String> refusal(String header, String body, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.of("the Stripe-Signature header is missing");
    }
    Long timestamp = null;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      int equals = part.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String name = part.substring(0, equals).strip();
      String value = part.substring(equals + 1).strip();
      if (name.equals("t")) {
        try {
          timestamp = Long.parseLong(value);
        } catch (NumberFormatException e) {
          return Optional.of("the Stripe-Signature timestamp is not a number");
        }
      } else if (name.equals("v1")) {
        signatures.add(value);
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      return Optional.of("the Stripe-Signature header has no timestamp or no v1 signature");
    }
    // Compared in constant time, so that timing tells nothing of the expected signature.
    byte[] expected = v1(timestamp, body).getBytes(StandardCharsets.US_ASCII);
    boolean matches =
        signatures.stream()
            .anyMatch(
                signature ->
                    MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII)));
    if (!matches) {
      return Optional.of("no signature matches the payload");
    }
    if (Duration.between(Instant.ofEpochSecond(timestamp), now).abs().compareTo(tolerance) > 0) {
      return Optional.of("the signature's timestamp is outside the tolerance (a replay)");
    }
    return Optional.empty();
  }

  /** The hex {@code v1} signature of this payload (what Stripe sends; tests sign with it). */
  String v1(long timestamp, String body) {
    return HexFormat.of().formatHex(sign(timestamp + "." + body));
  }

  private byte[] sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
