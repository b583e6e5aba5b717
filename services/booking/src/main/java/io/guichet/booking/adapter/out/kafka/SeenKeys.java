package io.guichet.booking.adapter.out.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * A Bloom filter over the keys of a store, so that "is this key new?" is answered in memory for
 * almost every new key instead of by a RocksDB lookup. It may say "maybe seen" for a key never
 * added (then the caller asks the store), never "not seen" for one that was. It grows as a chain of
 * fixed-size filters, each about 1 MiB for a million keys at a false-positive rate near 1%.
 */
final class SeenKeys {

  private static final int KEYS_PER_FILTER = 1 << 20;
  private static final int BITS_PER_FILTER = KEYS_PER_FILTER * 10;
  private static final int HASHES = 7;

  private final List<long[]> filters = new ArrayList<>();
  private int inLast = KEYS_PER_FILTER;

  void add(String key) {
    if (mightContain(key)) {
      // Already answers "maybe seen", and always will: filters only gain bits.
      return;
    }
    if (inLast == KEYS_PER_FILTER) {
      filters.add(new long[BITS_PER_FILTER / Long.SIZE]);
      inLast = 0;
    }
    long[] bits = filters.get(filters.size() - 1);
    long hash = hash(key);
    int h1 = (int) hash;
    int h2 = (int) (hash >>> 32);
    for (int i = 0; i < HASHES; i++) {
      int bit = Math.floorMod(h1 + i * h2, BITS_PER_FILTER);
      bits[bit >>> 6] |= 1L << bit;
    }
    inLast++;
  }

  boolean mightContain(String key) {
    long hash = hash(key);
    int h1 = (int) hash;
    int h2 = (int) (hash >>> 32);
    for (long[] bits : filters) {
      if (contains(bits, h1, h2)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(long[] bits, int h1, int h2) {
    for (int i = 0; i < HASHES; i++) {
      int bit = Math.floorMod(h1 + i * h2, BITS_PER_FILTER);
      if ((bits[bit >>> 6] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** FNV-1a over the characters, then the SplitMix64 finalizer to spread the bits. */
  private static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
