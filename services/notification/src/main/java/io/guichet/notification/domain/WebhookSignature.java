package io.guichet.notification.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery, in its {@value #HEADER} header: {@code t=<unix seconds>,
 * v1=<hex HMAC-SHA256 of "<t>.<body>" under the endpoint's secret>}. {@code v1} is the scheme's
 * version: a later scheme would add {@code v2=} beside it, so receivers can move over without a
 * gap. Receivers recompute it, compare in constant time, and refuse an old {@code t} (replays).
 */
public final class WebhookSignature {

  public static final String HEADER = "Guichet-Signature";
  public static final String SCHEME = "v1";

  private WebhookSignature() {}

  /** The header's value for this body, signed at this instant (seconds since the epoch). */
  public static String header(byte[] secret, long timestamp, String body) {
    return "t=" + timestamp + "," + SCHEME + "=" + hmac(secret, timestamp + "." + body);
  }

  static String hmac(byte[] secret, String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
