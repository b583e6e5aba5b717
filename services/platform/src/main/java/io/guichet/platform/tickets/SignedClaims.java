package io.guichet.platform.tickets;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What both ticket formats share: {@code <version>.<claims>.<signature>}, the claims joined by
 * {@code |} and Base64url-encoded, the signature Ed25519 over the {@code <version>.<claims>} text,
 * Base64url.
 */
final class SignedClaims {

  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  /** What an id claim may hold. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  private SignedClaims() {}

  static String sign(String version, PrivateKey eventKey, String... claims) {
    String signed =
        version
            + "."
            + B64.encodeToString(String.join("|", claims).getBytes(StandardCharsets.UTF_8));
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(eventKey);
      signer.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + B64.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * The claims of a Base64url part, when they decode as UTF-8 into exactly {@code count} claims
   * whose first {@code ids} ones are ids; empty otherwise.
   */
  static Optional<String[]> read(String encoded, int count, int ids) {
    try {
      String[] claims =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(UNB64.decode(encoded)))
              .toString()
              .split("\\|", -1);
      if (claims.length != count) {
        return Optional.empty();
      }
      for (int i = 0; i < ids; i++) {
        if (!ID.matcher(claims[i]).matches()) {
          return Optional.empty();
        }
      }
      return Optional.of(claims);
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
