package io.guichet.platform.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based (version 3, MD5) UUIDs, the same as {@link UUID#nameUUIDFromBytes} of the name's UTF-8
 * bytes, for ids that must come out the same each time a fact is derived again (after a crash, a
 * redelivery). The JDK's method looks the MD5 implementation up in the security providers on every
 * call, which was a third of the cost of an outcome's id in the allocator's profile; here each
 * thread keeps its digest.
 */
public final class NameBasedIds {

  private static final ThreadLocal<MessageDigest> MD5 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JDK has MD5", e);
            }
          });

  private NameBasedIds() {}

  /** Equal to {@code UUID.nameUUIDFromBytes(name.getBytes(UTF_8))}. */
  public static UUID of(String name) {
    byte[] md5 = MD5.get().digest(name.getBytes(StandardCharsets.UTF_8));
    md5[6] &= 0x0f; // the version
    md5[6] |= 0x30; // 3: name-based, MD5
    md5[8] &= 0x3f; // the variant
    md5[8] |= (byte) 0x80; // IETF
    long most = 0;
    long least = 0;
    for (int i = 0; i < 8; i++) {
      most = (most << 8) | (md5[i] & 0xff);
      least = (least << 8) | (md5[8 + i] & 0xff);
    }
    return new UUID(most, least);
  }
}
