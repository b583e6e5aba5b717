package io.guichet.booking.adapter.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DecidedIdsTest {

  @Test
  void knows_exactly_the_ids_added_through_many_growths() {
    DecidedIds ids = new DecidedIds();
    Set<String> added = new HashSet<>();
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      String id = "event-" + random.nextInt(50) + "/" + UUID.randomUUID();
      assertThat(ids.add(id)).isTrue();
      added.add(id);
    }
    assertThat(ids.size()).isEqualTo(200_000);
    for (String id : added) {
      assertThat(ids.contains(id)).isTrue();
      assertThat(ids.add(id)).as("added again").isFalse();
    }
    for (int i = 0; i < 200_000; i++) {
      assertThat(ids.contains("never-" + i)).isFalse();
    }
    assertThat(ids.size()).isEqualTo(200_000);
  }

  @Test
  void the_empty_string_and_similar_ids_are_told_apart() {
    DecidedIds ids = new DecidedIds();
    ids.add("");
    ids.add("a");

    assertThat(ids.contains("")).isTrue();
    assertThat(ids.contains("a")).isTrue();
    assertThat(ids.contains("b")).isFalse();
    assertThat(ids.contains("a ")).isFalse();
  }
}
