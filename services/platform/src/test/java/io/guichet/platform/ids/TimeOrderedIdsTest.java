package io.guichet.platform.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Test
  void an_id_says_when_it_was_issued() {
    Instant before = Instant.now();
    String id = TimeOrderedIds.next();
    Instant after = Instant.now();

    assertThat(UUID.fromString(id).version()).isEqualTo(7);
    assertThat(TimeOrderedIds.issuedAt(id))
        .hasValueSatisfying(
            issued -> assertThat(issued).isBetween(before.minusMillis(1), after.plusMillis(1)));
  }

  @Test
  void ids_are_unique_even_within_one_millisecond() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(TimeOrderedIds.next());
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void anything_else_has_no_issue_time() {
    String id = TimeOrderedIds.next();
    assertThat(TimeOrderedIds.issuedAt(UUID.randomUUID().toString())).isEmpty();
    assertThat(TimeOrderedIds.issuedAt(id.toUpperCase(Locale.ROOT))).isEmpty();
    assertThat(TimeOrderedIds.issuedAt(id.replace("-", ""))).isEmpty();
    assertThat(TimeOrderedIds.issuedAt("r-" + id.substring(2))).isEmpty();
    assertThat(TimeOrderedIds.issuedAt("not an id")).isEmpty();
    assertThat(TimeOrderedIds.issuedAt("")).isEmpty();
  }

  @Test
  void only_an_id_issued_within_the_patience_is_waited_for() {
    String id = TimeOrderedIds.next();
    Instant issued = TimeOrderedIds.issuedAt(id).orElseThrow();

    assertThat(TimeOrderedIds.stillToWait(id, PATIENCE, issued)).isEqualTo(PATIENCE);
    assertThat(TimeOrderedIds.stillToWait(id, PATIENCE, issued.plusSeconds(10)))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(TimeOrderedIds.stillToWait(id, PATIENCE, issued.plusSeconds(31))).isZero();
    // Another instance's clock a little behind: still waited for, never longer than the patience.
    assertThat(TimeOrderedIds.stillToWait(id, PATIENCE, issued.minusSeconds(2)))
        .isEqualTo(PATIENCE);
    // Issued in the future beyond the clocks' skew: nobody issued it.
    assertThat(TimeOrderedIds.stillToWait(id, PATIENCE, issued.minusSeconds(60))).isZero();
    assertThat(TimeOrderedIds.stillToWait(UUID.randomUUID().toString(), PATIENCE, issued)).isZero();
  }
}
