package io.guichet.platform;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Something services running in one JVM (the standalone, the tests, the benchmark) use together
 * instead of each opening its own: one per key, opened by its first use and closed by the end of
 * its last. A service alone in its JVM opens and closes it as it would on its own.
 *
 * @param <K> what tells two of them apart (the broker's address, for example)
 * @param <V> the shared thing
 */
public final class JvmShared<K, V> {

  private final Function<K, V> open;
  private final Consumer<V> close;
  private final Map<K, Shared<V>> byKey = new HashMap<>();

  /**
   * @param open makes the thing for a key, on its first use
   * @param close ends it, after its last use
   */
  public JvmShared(Function<K, V> open, Consumer<V> close) {
    this.open = open;
    this.close = close;
  }

  /** A use of the thing for this key, opened now if no use is running. */
  public synchronized Use<V> use(K key) {
    Shared<V> shared = byKey.get(key);
    if (shared == null) {
      shared = new Shared<>(open.apply(key));
      byKey.put(key, shared);
    }
    shared.uses++;
    return new Use<>(this, key, shared.value);
  }

  private synchronized void end(K key) {
    Shared<V> shared = byKey.get(key);
    if (shared != null && --shared.uses == 0) {
      byKey.remove(key);
      close.accept(shared.value);
    }
  }

  /** One use; closing it more than once counts once. */
  public static final class Use<V> implements AutoCloseable {

    private final JvmShared<?, V> owner;
    private final Object key;
    private final V value;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Use(JvmShared<?, V> owner, Object key, V value) {
      this.owner = owner;
      this.key = key;
      this.value = value;
    }

    public V get() {
      return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void close() {
      if (closed.compareAndSet(false, true)) {
        ((JvmShared<Object, V>) owner).end(key);
      }
    }
  }

  private static final class Shared<V> {

    private final V value;
    private int uses;

    private Shared(V value) {
      this.value = value;
    }
  }
}
