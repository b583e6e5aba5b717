package io.guichet.booking.waitingroom.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A waiting room as its organizer set it.
 *
 * @param opensAt when the sale opens: earlier arrivals form the pre-queue, drawn at this moment
 * @param admissionsPerMinute buyers let through per minute; empty: as fast as booking keeps up
 * @param passLifetime how long an admitted buyer may reserve with their pass
 */
public record RoomSettings(
    Instant opensAt, OptionalInt admissionsPerMinute, Duration passLifetime) {

  public static final int MAX_ADMISSIONS_PER_MINUTE = 600_000;
  public static final Duration SHORTEST_PASS = Duration.ofMinutes(1);
  public static final Duration LONGEST_PASS = Duration.ofHours(2);
  public static final Duration DEFAULT_PASS = Duration.ofMinutes(10);

  /** A setting that cannot be: the field's name and why. */
  public record Problem(String field, String message) {}

  /** Whether admission follows booking rather than a fixed rate. */
  public boolean adaptive() {
    return admissionsPerMinute.isEmpty();
  }

  /**
   * What is wrong with these settings, by field name; empty when they may be published.
   *
   * @param latestOpening the latest opening accepted (a typo of a year is refused)
   */
  public List<Problem> problems(Instant latestOpening) {
    List<Problem> problems = new ArrayList<>();
    if (opensAt.isAfter(latestOpening)) {
      problems.add(new Problem("opensAt", "must be within ten years"));
    }
    admissionsPerMinute.ifPresent(
        rate -> {
          if (rate < 1 || rate > MAX_ADMISSIONS_PER_MINUTE) {
            problems.add(
                new Problem(
                    "admissionsPerMinute",
                    "must be 1 to " + MAX_ADMISSIONS_PER_MINUTE + ", or null"));
          }
        });
    if (passLifetime.compareTo(SHORTEST_PASS) < 0 || passLifetime.compareTo(LONGEST_PASS) > 0) {
      problems.add(new Problem("passLifetimeSeconds", "must be 60 to 7200"));
    }
    return problems;
  }
}
