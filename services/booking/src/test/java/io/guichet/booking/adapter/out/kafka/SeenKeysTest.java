package io.guichet.booking.adapter.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenKeysTest {

  @Test
  void neverForgetsAKeyAcrossSeveralFilters() {
    SeenKeys seen = new SeenKeys();
    int keys = 2_500_000; // more than two filters' worth
    for (int i = 0; i < keys; i++) {
      seen.add("event-1/r-" + i);
    }
    for (int i = 0; i < keys; i++) {
      assertThat(seen.mightContain("event-1/r-" + i)).as("key %d", i).isTrue();
    }
  }

  @Test
  void rarelyTakesANewKeyForASeenOne() {
    SeenKeys seen = new SeenKeys();
    for (int i = 0; i < 1_000_000; i++) {
      seen.add("event-1/r-" + i);
    }
    int falsePositives = 0;
    int probes = 1_000_000;
    for (int i = 0; i < probes; i++) {
      falsePositives += seen.mightContain("event-2/r-" + i) ? 1 : 0;
    }
    // About 1% at ten bits per key and seven hashes; a broken hash would be far above this.
    assertThat((double) falsePositives / probes).isLessThan(0.02);
  }

  @Test
  void anEmptyFilterHasSeenNothing() {
    assertThat(new SeenKeys().mightContain("anything")).isFalse();
  }
}
