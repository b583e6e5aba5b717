package io.guichet.platform.secrets;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the secrets a service stores (ticketing's account, purchase and event keys; identity's
 * signing keys and MFA secrets) with AES-256-GCM under the service's master key, so that a copy of
 * the database alone gives none of them away. The master key comes from configuration; the
 * standalone mode generates one.
 */
public final class SecretBox {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE = 12;

  private final SecretKeySpec key;

  /**
   * @param masterKey 32 bytes, Base64 (standard or URL-safe)
   * @param property where it is configured, named in the error when it is missing or wrong
   */
  public SecretBox(String masterKey, String property) {
    if (masterKey == null || masterKey.isBlank()) {
      throw new IllegalStateException(property + " is required (32 random bytes, Base64)");
    }
    byte[] bytes =
        masterKey.contains("-") || masterKey.contains("_")
            ? Base64.getUrlDecoder().decode(masterKey)
            : Base64.getDecoder().decode(masterKey);
    if (bytes.length != 32) {
      throw new IllegalStateException(property + " must be 32 bytes");
    }
    this.key = new SecretKeySpec(bytes, "AES");
  }

  public byte[] seal(byte[] secret) {
    try {
      byte[] nonce = new byte[NONCE];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      byte[] sealed = cipher.doFinal(secret);
      return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  public byte[] open(byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
      return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a sealed secret does not open with the master key", e);
    }
  }
}
