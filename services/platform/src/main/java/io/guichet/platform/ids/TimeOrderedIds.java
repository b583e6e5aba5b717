package io.guichet.platform.ids;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.UUIDType;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;
import com.fasterxml.uuid.impl.UUIDUtil;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Ids that say when they were issued: UUIDs of version 7 (RFC 9562), whose first 48 bits are the
 * millisecond of issue and whose other 74 bits are random. Booking gives reservations such ids, so
 * that whoever follows one (booking's status stream, query's) can tell an id that may still be on
 * its way to a read model (issued moments ago) from one that never will be, and answer the latter
 * at once.
 */
public final class TimeOrderedIds {

  /** How far apart the clocks of the instances that issue and follow ids may be. */
  static final Duration SKEW = Duration.ofSeconds(5);

  private static final TimeBasedEpochRandomGenerator GENERATOR =
      Generators.timeBasedEpochRandomGenerator();

  private TimeOrderedIds() {}

  /** A new id, issued now. */
  public static String next() {
    return GENERATOR.generate().toString();
  }

  /**
   * When an id was issued, if it is a time-ordered id in canonical (lower-case) form; empty for
   * anything else, such as the random ids of earlier versions.
   */
  public static Optional<Instant> issuedAt(String id) {
    if (id.length() != 36 || !id.equals(id.toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException notAUuid) {
      return Optional.empty();
    }
    if (!uuid.toString().equals(id) || UUIDUtil.typeOf(uuid) != UUIDType.TIME_BASED_EPOCH) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(UUIDUtil.extractTimestamp(uuid)));
  }

  /**
   * How much longer something not yet seen under this id is worth waiting for: what is left of
   * {@code patience} since the id was issued; zero for an id that was not issued in that time (not
   * a time-ordered id, issued earlier, or from the future beyond the clocks' skew).
   */
  public static Duration stillToWait(String id, Duration patience, Instant now) {
    return issuedAt(id)
        .map(issued -> Duration.between(now, issued.plus(patience)))
        .filter(left -> !left.isNegative() && left.compareTo(patience.plus(SKEW)) <= 0)
        .map(left -> left.compareTo(patience) < 0 ? left : patience)
        .orElse(Duration.ZERO);
  }
}
