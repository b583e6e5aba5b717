package io.guichet.booking.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeatPickerTest {

  /** One row "A" of section "S", its seats labelled 1.. with these distances, all of "gold". */
  private static SeatMap row(double... distances) {
    SeatMap.Builder map = SeatMap.builder().row("S", "A");
    for (int i = 0; i < distances.length; i++) {
      map.seat(Integer.toString(i + 1), "gold", distances[i], true);
    }
    return map.build();
  }

  private static int[] pickOne(SeatMap map, int n) {
    SeatPicker.Pick pick = SeatPicker.bestAvailable(map, "gold", n).orElseThrow();
    assertThat(pick.split()).isFalse();
    return pick.seats();
  }

  @Test
  void the_best_block_is_the_closest_to_the_focal_point() {
    SeatMap map = row(5, 4, 3, 2, 1, 1, 2, 3, 4, 5);
    assertThat(pickOne(map, 2)).containsExactly(4, 5);
    assertThat(pickOne(map, 4)).containsExactly(3, 4, 5, 6);
  }

  @Test
  void a_block_that_leaves_a_single_seat_alone_is_taken_only_when_every_block_does() {
    // Seats 2-4 are the closest, but would leave seat 1 alone: seats 1-3 are taken instead.
    SeatMap map = row(5, 1, 1, 1, 5, 5);
    assertThat(pickOne(map, 3)).containsExactly(0, 1, 2);
    // Next to a held seat the rule holds too: seat 1 held, seats 3-5 would leave seat 2 alone.
    SeatMap held = row(5, 5, 1, 1, 1, 9, 9);
    held.hold(new int[] {0});
    assertThat(pickOne(held, 3)).containsExactly(1, 2, 3);
    // Four seats, three wanted: every block leaves one; the closest is taken.
    assertThat(pickOne(row(9, 1, 1, 1), 3)).containsExactly(1, 2, 3);
  }

  @Test
  void when_no_row_has_enough_together_the_pick_is_split_into_the_fewest_groups() {
    SeatMap map =
        SeatMap.builder()
            .row("S", "A")
            .seat("1", "gold", 1, true)
            .seat("2", "gold", 1, true)
            .seat("3", "gold", 1, true)
            .row("S", "B")
            .seat("1", "gold", 2, true)
            .seat("2", "gold", 2, true)
            .seat("3", "gold", 2, true)
            .build();
    SeatPicker.Pick pick = SeatPicker.bestAvailable(map, "gold", 4).orElseThrow();
    assertThat(pick.split()).isTrue();
    assertThat(pick.groups()).hasSize(2);
    assertThat(pick.groups().get(0)).containsExactly(0, 1, 2);
    // The one seat of row B at its end, not in its middle (that would leave two seats alone).
    assertThat(pick.groups().get(1)).containsAnyOf(3, 5).hasSize(1);
    assertThat(SeatPicker.bestAvailable(map, "gold", 7)).isEmpty();
  }

  @Test
  void seats_of_another_category_are_never_picked_and_break_adjacency() {
    SeatMap map =
        SeatMap.builder()
            .row("S", "A")
            .seat("1", "gold", 1, true)
            .seat("2", "silver", 1, true)
            .seat("3", "gold", 1, true)
            .seat("4", "gold", 1, true)
            .seat("5", "gold", 1, false)
            .build();
    assertThat(pickOne(map, 2)).containsExactly(2, 3);
    assertThat(SeatPicker.bestAvailable(map, "silver", 1).orElseThrow().seats()).containsExactly(1);
    assertThat(SeatPicker.bestAvailable(map, "silver", 2)).isEmpty();
    assertThat(map.free("gold")).isEqualTo(3);
  }

  @Test
  void named_seats_are_taken_all_or_none() {
    SeatMap map = row(1, 1, 1, 1);
    List<SeatMap.SeatRef> two =
        List.of(new SeatMap.SeatRef("S", "A", "2"), new SeatMap.SeatRef("S", "A", "3"));
    int[] seats = SeatPicker.specific(map, "gold", two).orElseThrow();
    assertThat(seats).containsExactly(1, 2);
    map.hold(seats);
    // One of them is held now: nothing is taken, not even the free one.
    assertThat(
            SeatPicker.specific(
                map,
                "gold",
                List.of(new SeatMap.SeatRef("S", "A", "3"), new SeatMap.SeatRef("S", "A", "4"))))
        .isEmpty();
    assertThat(SeatPicker.specific(map, "gold", List.of(new SeatMap.SeatRef("S", "A", "9"))))
        .isEmpty();
    assertThat(SeatPicker.specific(map, "silver", List.of(new SeatMap.SeatRef("S", "A", "4"))))
        .isEmpty();
    SeatMap.SeatRef four = new SeatMap.SeatRef("S", "A", "4");
    assertThat(SeatPicker.specific(map, "gold", List.of(four, four))).isEmpty();
    map.release(seats);
    assertThat(map.free("gold")).isEqualTo(4);
  }

  /**
   * A 5,000-seat hall (50 rows of 100, some seats never sold, two categories) sold out by random
   * requests of 1 to 6 seats, each checked against a plain search of every block: no seat taken
   * twice; a pick is one adjacent group whenever some row had the seats together; it leaves a seat
   * alone only when every block would; no block closer than the one taken was free.
   */
  @Test
  void a_hall_sold_out_by_random_requests_keeps_every_rule_at_every_pick() {
    Random random = new Random(21);
    SeatMap.Builder builder = SeatMap.builder();
    for (int r = 0; r < 50; r++) {
      builder.row("Parterre", "R" + r);
      for (int i = 0; i < 100; i++) {
        double distance = Math.hypot(i - 49.5, r + 5);
        builder.seat(
            Integer.toString(i + 1), i < 20 ? "side" : "gold", distance, random.nextInt(50) > 0);
      }
    }
    SeatMap map = builder.build();
    Set<Integer> taken = new HashSet<>();
    int sellable = map.free("gold");
    int picks = 0;
    int splits = 0;
    while (true) {
      int n = 1 + random.nextInt(6);
      boolean together =
          bruteForceBest(map, n, false) != null || bruteForceBest(map, n, true) != null;
      java.util.Optional<SeatPicker.Pick> pick = SeatPicker.bestAvailable(map, "gold", n);
      if (pick.isEmpty()) {
        assertThat(map.free("gold")).isLessThan(n);
        if (map.free("gold") == 0) {
          break;
        }
        continue;
      }
      int[] seats = pick.get().seats();
      assertThat(seats).hasSize(n);
      for (int seat : seats) {
        assertThat(map.available(seat, "gold")).isTrue();
        assertThat(taken.add(seat)).as("seat %d taken twice", seat).isTrue();
      }
      assertThat(pick.get().split()).isEqualTo(!together);
      if (together) {
        int first = seats[0];
        for (int i = 0; i < n; i++) {
          assertThat(seats[i]).isEqualTo(first + i);
          assertThat(map.rowOf(seats[i])).isEqualTo(map.rowOf(first));
        }
        double[] best = bruteForceBest(map, n, false);
        boolean leavesOneAlone = leavesOneAlone(map, first, n);
        if (best != null) {
          assertThat(leavesOneAlone).as("a block leaving no seat alone was free").isFalse();
        } else {
          best = bruteForceBest(map, n, true);
        }
        assertThat(score(map, first, n)).isLessThanOrEqualTo(best[0] + 1e-9);
      } else {
        splits++;
      }
      map.hold(seats);
      picks++;
    }
    assertThat(taken).hasSize(sellable);
    assertThat(picks).isGreaterThan(1_000);
    assertThat(splits).isGreaterThan(0);
  }

  /** The smallest score of a free gold block of n in one row, with or without a seat left alone. */
  private static double[] bruteForceBest(SeatMap map, int n, boolean orphanAllowed) {
    double[] best = null;
    for (int first = 0; first + n <= map.size(); first++) {
      boolean fits = true;
      for (int i = first; i < first + n && fits; i++) {
        fits = map.available(i, "gold") && map.rowOf(i).equals(map.rowOf(first));
      }
      if (!fits || leavesOneAlone(map, first, n) != orphanAllowed) {
        continue;
      }
      double score = score(map, first, n);
      if (best == null || score < best[0]) {
        best = new double[] {score};
      }
    }
    return best;
  }

  private static double score(SeatMap map, int first, int n) {
    double score = 0;
    for (int i = first; i < first + n; i++) {
      score += map.distance(i);
    }
    return score;
  }

  /** Whether a free gold seat would be left with no free gold neighbour next to the block. */
  private static boolean leavesOneAlone(SeatMap map, int first, int n) {
    return alone(map, first - 1, first - 2, first) || alone(map, first + n, first + n + 1, first);
  }

  private static boolean alone(SeatMap map, int seat, int beyond, int sameRowAs) {
    if (!inRow(map, seat, sameRowAs) || !map.available(seat, "gold")) {
      return false;
    }
    return !inRow(map, beyond, sameRowAs) || !map.available(beyond, "gold");
  }

  private static boolean inRow(SeatMap map, int seat, int as) {
    return seat >= 0 && seat < map.size() && map.rowOf(seat).equals(map.rowOf(as));
  }

  @Test
  void a_seat_held_twice_or_released_when_free_is_a_bug_that_stops_the_allocator() {
    SeatMap map = row(1, 1);
    map.hold(new int[] {0});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> map.hold(new int[] {1, 0}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("S A-1 is HELD");
    // Nothing of a refused move is applied.
    assertThat(map.status(1)).isEqualTo(SeatMap.Status.FREE);
    map.sell(new int[] {0});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> map.release(new int[] {0}))
        .isInstanceOf(IllegalStateException.class);
    assertThat(new ArrayList<>(Arrays.asList(map.status(0), map.status(1))))
        .containsExactly(SeatMap.Status.SOLD, SeatMap.Status.FREE);
  }
}
