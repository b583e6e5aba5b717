package io.guichet.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {

  private final AtomicLong now = new AtomicLong();
  private final TokenBuckets buckets =
      new TokenBuckets(new GatewayProperties.Limit(2, Duration.ofSeconds(1), 3), now::get);

  @Test
  void lets_a_burst_through_then_one_request_per_refill() {
    for (int i = 0; i < 3; i++) {
      assertThat(buckets.take("a")).isZero();
    }
    // Two tokens a second: the next one is half a second away.
    assertThat(buckets.take("a")).isEqualTo(Duration.ofMillis(500));
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(buckets.take("a")).isZero();
    assertThat(buckets.take("a")).isPositive();
    // Another key has a budget of its own.
    assertThat(buckets.take("b")).isZero();
  }

  @Test
  void never_holds_more_than_the_burst_and_forgets_full_buckets() {
    buckets.take("a");
    buckets.take("b");
    buckets.take("b");
    now.addAndGet(Duration.ofMillis(600).toNanos());
    buckets.forgetIdle();
    // a refilled (2 + 1.2 > 3); b has 1 + 1.2 < 3 and is kept.
    assertThat(buckets.size()).isEqualTo(1);

    now.addAndGet(Duration.ofHours(1).toNanos());
    for (int i = 0; i < 3; i++) {
      assertThat(buckets.take("b")).isZero();
    }
    assertThat(buckets.take("b")).isPositive();
  }
}
