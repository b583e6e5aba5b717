package io.guichet.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a client address, an account): each request takes a token, tokens come
 * back at the limit's rate, and the bucket holds at most the burst. Buckets that have filled up
 * again are forgotten by {@link #forgetIdle()}, so the map holds only the keys active lately.
 */
final class TokenBuckets {

  /** Past this many keys, idle buckets are forgotten at once rather than at the next sweep. */
  private static final int SWEEP_AT = 200_000;

  private final GatewayProperties.Limit limit;
  private final double tokensPerNano;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(GatewayProperties.Limit limit, LongSupplier nanoTime) {
    this.limit = limit;
    this.tokensPerNano = (double) limit.requests() / limit.period().toNanos();
    this.nanoTime = nanoTime;
  }

  TokenBuckets(GatewayProperties.Limit limit) {
    this(limit, System::nanoTime);
  }

  /**
   * Takes a token for this key.
   *
   * @return zero if the request may go on, else how long until a token is back
   */
  Duration take(String key) {
    if (buckets.size() > SWEEP_AT) {
      forgetIdle();
    }
    return buckets
        .computeIfAbsent(key, k -> new Bucket(limit.burst(), nanoTime.getAsLong()))
        .take(nanoTime.getAsLong());
  }

  /** Forgets the buckets that are full again: they are as good as new. */
  void forgetIdle() {
    long now = nanoTime.getAsLong();
    buckets.values().removeIf(bucket -> bucket.fullAt(now));
  }

  int size() {
    return buckets.size();
  }

  private final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized Duration take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - tokens) / tokensPerNano));
    }

    synchronized boolean fullAt(long now) {
      refill(now);
      return tokens >= limit.burst();
    }

    private void refill(long now) {
      tokens = Math.min(limit.burst(), tokens + (now - updated) * tokensPerNano);
      updated = now;
    }
  }
}
