package io.guichet.booking.adapter.out.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * A set of ids kept as their 128-bit MurmurHash3 in an open-addressing table of longs: 32 bytes per
 * id at most (16 at the fullest), where a {@code HashSet<String>} of reservation ids took about
 * 128. The allocator remembers every rejected reservation this way, so that a request delivered
 * twice is answered once; in a sold-out burst they are nearly all the requests.
 *
 * <p>Two different ids are taken for one only if their 128-bit hashes are equal: for a billion ids
 * the chance is about one in 10<sup>20</sup>, far below that of the hardware failing. The JDK and
 * commons-collections have no set of 128-bit values, hence this class; the hash is commons-codec's.
 */
final class DecidedIds {

  private static final int INITIAL_SLOTS = 1 << 10;

  /** Two longs per slot; a slot of two zeros is empty. */
  private long[] table = new long[2 * INITIAL_SLOTS];

  private int size;

  int size() {
    return size;
  }

  /** Adds the id; returns whether it was new. */
  boolean add(String id) {
    long[] hash = hash(id);
    if (2 * (size + 1) > slots()) {
      grow();
    }
    if (insert(table, hash[0], hash[1])) {
      size++;
      return true;
    }
    return false;
  }

  boolean contains(String id) {
    long[] hash = hash(id);
    int mask = slots() - 1;
    for (int slot = (int) hash[0] & mask; ; slot = (slot + 1) & mask) {
      long first = table[2 * slot];
      long second = table[2 * slot + 1];
      if (first == 0 && second == 0) {
        return false;
      }
      if (first == hash[0] && second == hash[1]) {
        return true;
      }
    }
  }

  private int slots() {
    return table.length / 2;
  }

  private void grow() {
    long[] larger = new long[table.length * 2];
    for (int slot = 0; slot < slots(); slot++) {
      long first = table[2 * slot];
      long second = table[2 * slot + 1];
      if (first != 0 || second != 0) {
        insert(larger, first, second);
      }
    }
    table = larger;
  }

  private static boolean insert(long[] into, long first, long second) {
    int mask = into.length / 2 - 1;
    for (int slot = (int) first & mask; ; slot = (slot + 1) & mask) {
      long atFirst = into[2 * slot];
      long atSecond = into[2 * slot + 1];
      if (atFirst == 0 && atSecond == 0) {
        into[2 * slot] = first;
        into[2 * slot + 1] = second;
        return true;
      }
      if (atFirst == first && atSecond == second) {
        return false;
      }
    }
  }

  /** The id's 128-bit hash; never two zeros, which mark an empty slot. */
  private static long[] hash(String id) {
    long[] hash = MurmurHash3.hash128x64(id.getBytes(StandardCharsets.UTF_8));
    if (hash[0] == 0 && hash[1] == 0) {
      hash[1] = 1;
    }
    return hash;
  }
}
