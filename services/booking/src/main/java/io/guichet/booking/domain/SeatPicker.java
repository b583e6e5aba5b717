package io.guichet.booking.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which seats of a {@link SeatMap} a reservation gets (issue 21): the seats a buyer names, all or
 * none; or the best available: N adjacent seats of one row when a row has them, the closest to
 * their section's focal point (the smallest sum of distances), never leaving a single free seat
 * alone between the block and a taken seat, a seat of another category or the row's end when
 * another block avoids it; when no row has N together, the fewest groups, largest first (the pick
 * says it is split). It only chooses: the caller holds what it picked.
 */
public final class SeatPicker {

  private SeatPicker() {}

  /**
   * Seats picked together.
   *
   * @param groups runs of adjacent seats of one row each; one group when the request fit a row
   */
  public record Pick(List<int[]> groups) {

    public Pick {
      groups = List.copyOf(groups);
    }

    /** Whether the seats are in more than one group. */
    public boolean split() {
      return groups.size() > 1;
    }

    /** Every seat picked. */
    public int[] seats() {
      return groups.stream().flatMapToInt(Arrays::stream).toArray();
    }
  }

  /**
   * The seats a buyer names, if each is in the map, of the category and free, and none is named
   * twice; empty otherwise (nothing is half taken).
   */
  public static Optional<int[]> specific(
      SeatMap map, String category, List<SeatMap.SeatRef> wanted) {
    int[] seats = new int[wanted.size()];
    for (int i = 0; i < seats.length; i++) {
      Optional<Integer> seat = map.seat(wanted.get(i));
      if (seat.isEmpty() || !map.available(seat.get(), category)) {
        return Optional.empty();
      }
      seats[i] = seat.get();
    }
    return Arrays.stream(seats).distinct().count() == seats.length
        ? Optional.of(seats)
        : Optional.empty();
  }

  /** The best {@code n} free seats of the category; empty when fewer are free. */
  public static Optional<Pick> bestAvailable(SeatMap map, String category, int n) {
    return pick(map, category, n, true);
  }

  /**
   * The same rules without the map's index: every row searched, in the map's order. The baseline
   * the benchmark compares {@link #bestAvailable} with ({@code bench seat-picker}); equal blocks
   * may be broken differently.
   */
  public static Optional<Pick> bestAvailableScanningEveryRow(SeatMap map, String category, int n) {
    return pick(map, category, n, false);
  }

  private static Optional<Pick> pick(SeatMap map, String category, int n, boolean indexed) {
    if (n < 1) {
      throw new IllegalArgumentException("at least one seat: " + n);
    }
    if (map.free(category) < n) {
      return Optional.empty();
    }
    // Rows best first: a row whose best seat, n times, scores no better than a block that leaves
    // no seat alone cannot give a better one, nor can any row after it.
    Window together = null;
    int[] rows =
        indexed
            ? map.rowOrder(category)
            : java.util.stream.IntStream.range(0, map.rows().size()).toArray();
    for (int row : rows) {
      if (indexed
          && together != null
          && !together.orphan()
          && n * map.bestDistance(category, row) >= together.score()) {
        break;
      }
      if (indexed && map.longestRun(category, row) < n) {
        continue;
      }
      // Its best free seat now, n times, no better than the block found: nothing better here
      // (rows whose best seats are sold stay in the order, but cost this check alone).
      if (indexed
          && together != null
          && !together.orphan()
          && n * map.bestFreeDistance(category, row) >= together.score()) {
        continue;
      }
      Window best =
          indexed ? bestInRow(map, category, row, n) : bestInRowSearched(map, category, row, n);
      if (best != null && best.betterThan(together)) {
        together = best;
      }
    }
    if (together != null) {
      return Optional.of(new Pick(List.of(together.seats())));
    }
    List<int[]> runs = new ArrayList<>();
    for (SeatMap.Row row : map.rows()) {
      runs.addAll(runs(map, category, row));
    }
    return Optional.of(split(map, runs, n));
  }

  /** A row without a block of the size asked: kept as such until the row changes. */
  private static final Window NONE = new Window(-1, 0, true, Double.POSITIVE_INFINITY);

  /**
   * The row's best block of {@code n} (null if none), kept in the map until a seat of the row
   * changes: a pick changes one or two rows, so a search through hundreds of rows whose best free
   * seats are about as good (a stadium's front rows, as its middle seats go) finds the others'
   * blocks kept.
   */
  private static Window bestInRow(SeatMap map, String category, int row, int n) {
    Window[] kept = (Window[]) map.searched(category, row);
    if (kept != null && n < kept.length && kept[n] != null) {
      return kept[n] == NONE ? null : kept[n];
    }
    Window best = bestInRowSearched(map, category, row, n);
    if (kept == null || n >= kept.length) {
      kept = kept == null ? new Window[Math.max(n + 1, 5)] : Arrays.copyOf(kept, n + 1);
      map.keepSearched(category, row, kept);
    }
    kept[n] = best == null ? NONE : best;
    return best;
  }

  /** The row's best block of {@code n}, searched run after run (null if none). */
  private static Window bestInRowSearched(SeatMap map, String category, int row, int n) {
    Window best = null;
    for (int[] run : runs(map, category, map.rows().get(row))) {
      Window window = bestWindow(map, run, n);
      if (window != null && window.betterThan(best)) {
        best = window;
      }
    }
    return best;
  }

  /**
   * No row has {@code n} together: the largest piece first, from the run that gives it best, until
   * {@code n} are picked; each piece's window is chosen as for a whole request.
   */
  private static Pick split(SeatMap map, List<int[]> free, int n) {
    List<int[]> runs = new ArrayList<>(free);
    List<int[]> groups = new ArrayList<>();
    int remaining = n;
    while (remaining > 0) {
      int piece = 0;
      for (int[] run : runs) {
        piece = Math.max(piece, Math.min(run[1] - run[0], remaining));
      }
      Window best = null;
      int from = -1;
      for (int i = 0; i < runs.size(); i++) {
        Window window = bestWindow(map, runs.get(i), piece);
        if (window != null && window.betterThan(best)) {
          best = window;
          from = i;
        }
      }
      groups.add(best.seats());
      remaining -= piece;
      // What is left of that run, on either side of the piece, may give the next piece.
      int[] run = runs.remove(from);
      if (best.start() > run[0]) {
        runs.add(new int[] {run[0], best.start()});
      }
      if (best.start() + piece < run[1]) {
        runs.add(new int[] {best.start() + piece, run[1]});
      }
    }
    return new Pick(groups);
  }

  /**
   * A block of adjacent seats in a run.
   *
   * @param orphan whether it leaves one free seat alone at either side
   * @param score the sum of its seats' distances
   */
  private record Window(int start, int length, boolean orphan, double score) {

    boolean betterThan(Window other) {
      if (other == null) {
        return true;
      }
      if (orphan != other.orphan) {
        return !orphan;
      }
      return score < other.score;
    }

    int[] seats() {
      int[] seats = new int[length];
      for (int i = 0; i < length; i++) {
        seats[i] = start + i;
      }
      return seats;
    }
  }

  /** The run's best block of {@code n} seats, or null when it is shorter. */
  private static Window bestWindow(SeatMap map, int[] run, int n) {
    int start = run[0];
    int end = run[1];
    if (end - start < n) {
      return null;
    }
    double sum = 0;
    for (int i = start; i < start + n; i++) {
      sum += map.distance(i);
    }
    Window best = null;
    for (int s = start; s + n <= end; s++) {
      if (s > start) {
        sum += map.distance(s + n - 1) - map.distance(s - 1);
      }
      boolean orphan = s - start == 1 || end - (s + n) == 1;
      Window window = new Window(s, n, orphan, sum);
      if (window.betterThan(best)) {
        best = window;
      }
    }
    return best;
  }

  /** The row's runs {@code [from, to)} of adjacent free seats of the category. */
  private static List<int[]> runs(SeatMap map, String category, SeatMap.Row row) {
    List<int[]> runs = new ArrayList<>();
    int end = row.first() + row.count();
    int start = -1;
    for (int i = row.first(); i < end; i++) {
      if (map.available(i, category)) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        runs.add(new int[] {start, i});
        start = -1;
      }
    }
    if (start >= 0) {
      runs.add(new int[] {start, end});
    }
    return runs;
  }
}
