package io.guichet.booking.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An event's seats as the allocator decides on them (issue 21): rows of seats in the order they
 * stand, each seat with its category, how good it is (its distance to its section's focal point:
 * the smaller, the better) and its status. Seats are numbered 0..n-1 row after row, so a row's
 * seats are consecutive numbers and neighbours in a row are neighbours in the room.
 *
 * <p>Mutable, and owned by the one writer of its event (the allocator's partition): no lock.
 */
public final class SeatMap {

  /** What a seat is doing. */
  public enum Status {
    FREE,
    HELD,
    SOLD,
    /** Never sold (a camera position, a broken seat). */
    UNSOLD
  }

  /** A row: its section and label, and its seats' numbers {@code first .. first + count - 1}. */
  public record Row(String section, String label, int first, int count) {}

  /** A seat as a buyer names it. */
  public record SeatRef(String section, String row, String seat) {
    @Override
    public String toString() {
      return section + " " + row + "-" + seat;
    }
  }

  private final List<Row> rows;
  private final String[] labels;
  private final int[] rowOf;
  private final String[] categories;
  private final double[] distances;
  private final Status[] statuses;
  private final Map<SeatRef, Integer> byRef;

  /** Per category: its free seats, and its rows, best first, with what a search may skip. */
  private final Map<String, CategoryIndex> index = new HashMap<>();

  /**
   * A category's rows in the order of their best seat (the smallest distance of a seat of the
   * category), and each row's longest run of free seats of it (-1: to be counted again after a
   * change in the row): a search for N together skips a row whose longest run is shorter, and stops
   * at the first row whose best seat, N times, is already worse than the block it has.
   */
  private static final class CategoryIndex {
    int free;
    int[] order;
    double[] best;
    int[] longest;

    /** Each row's best free seat of the category now (NaN: to be found again after a change). */
    double[] bestFree;

    /** What a search left for each row until it changes (its best blocks), or null. */
    Object[] searched;
  }

  /** The category a search asked for last, and its index: a search asks row after row. */
  private String lastCategory;

  private CategoryIndex lastIndex;

  private CategoryIndex indexOf(String category) {
    if (category != lastCategory) {
      lastIndex = index.get(category);
      lastCategory = category;
    }
    return lastIndex;
  }

  /**
   * What a search kept of a row for the category (a search's own cache: its best blocks by size),
   * until a seat of the row changes; null when nothing is kept.
   */
  Object searched(String category, int row) {
    return indexOf(category).searched[row];
  }

  void keepSearched(String category, int row, Object kept) {
    indexOf(category).searched[row] = kept;
  }

  private SeatMap(
      List<Row> rows, String[] labels, String[] categories, double[] distances, Status[] statuses) {
    this.rows = List.copyOf(rows);
    this.labels = labels;
    this.categories = categories;
    this.distances = distances;
    this.statuses = statuses;
    this.rowOf = new int[labels.length];
    this.byRef = new HashMap<>(labels.length * 2);
    Map<String, double[]> bestByRow = new HashMap<>();
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      for (int i = row.first(); i < row.first() + row.count(); i++) {
        rowOf[i] = r;
        byRef.put(new SeatRef(row.section(), row.label(), labels[i]), i);
        if (statuses[i] == Status.FREE) {
          double[] best =
              bestByRow.computeIfAbsent(
                  categories[i],
                  c -> {
                    double[] none = new double[rows.size()];
                    Arrays.fill(none, Double.POSITIVE_INFINITY);
                    return none;
                  });
          best[r] = Math.min(best[r], distances[i]);
          index.computeIfAbsent(categories[i], c -> new CategoryIndex()).free++;
        }
      }
    }
    bestByRow.forEach(
        (category, best) -> {
          CategoryIndex of = index.get(category);
          of.best = best;
          of.order =
              java.util.stream.IntStream.range(0, rows.size())
                  .filter(r -> best[r] < Double.POSITIVE_INFINITY)
                  .boxed()
                  .sorted(java.util.Comparator.comparingDouble(r -> best[r]))
                  .mapToInt(Integer::intValue)
                  .toArray();
          of.longest = new int[rows.size()];
          Arrays.fill(of.longest, -1);
          of.bestFree = new double[rows.size()];
          Arrays.fill(of.bestFree, Double.NaN);
          of.searched = new Object[rows.size()];
        });
  }

  /** The category's rows that have seats of it, best first. */
  int[] rowOrder(String category) {
    CategoryIndex of = indexOf(category);
    return of == null ? new int[0] : of.order;
  }

  /** The distance of the row's best seat of the category (sold or not). */
  double bestDistance(String category, int row) {
    return indexOf(category).best[row];
  }

  /**
   * The distance of the row's best free seat of the category now (infinite when none is free): no
   * block of n seats of the row scores below n times it, so a search skips a row whose bound is
   * already no better than the block it has. Found again only after a change in the row.
   */
  double bestFreeDistance(String category, int row) {
    CategoryIndex of = indexOf(category);
    if (Double.isNaN(of.bestFree[row])) {
      Row seats = rows.get(row);
      double best = Double.POSITIVE_INFINITY;
      for (int i = seats.first(); i < seats.first() + seats.count(); i++) {
        if (available(i, category)) {
          best = Math.min(best, distances[i]);
        }
      }
      of.bestFree[row] = best;
    }
    return of.bestFree[row];
  }

  /** The row's longest run of adjacent free seats of the category. */
  int longestRun(String category, int row) {
    CategoryIndex of = indexOf(category);
    if (of.longest[row] < 0) {
      Row seats = rows.get(row);
      int longest = 0;
      int run = 0;
      for (int i = seats.first(); i < seats.first() + seats.count(); i++) {
        run = available(i, category) ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      of.longest[row] = longest;
    }
    return of.longest[row];
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a map row after row, seat after seat, every seat FREE unless said unsold. */
  public static final class Builder {
    private final List<Row> rows = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final List<String> categories = new ArrayList<>();
    private final List<Double> distances = new ArrayList<>();
    private final List<Status> statuses = new ArrayList<>();
    private String section;
    private String row;
    private int first;

    /** Starts a row of a section; its seats follow in the order they stand. */
    public Builder row(String section, String label) {
      endRow();
      this.section = section;
      this.row = label;
      this.first = labels.size();
      return this;
    }

    public Builder seat(String label, String category, double distance, boolean sellable) {
      if (row == null) {
        throw new IllegalStateException("a seat belongs to a row: start one first");
      }
      labels.add(label);
      categories.add(category.intern());
      distances.add(distance);
      statuses.add(sellable ? Status.FREE : Status.UNSOLD);
      return this;
    }

    private void endRow() {
      if (row != null) {
        rows.add(new Row(section, row, first, labels.size() - first));
      }
    }

    public SeatMap build() {
      endRow();
      row = null;
      double[] distance = new double[distances.size()];
      for (int i = 0; i < distance.length; i++) {
        distance[i] = distances.get(i);
      }
      return new SeatMap(
          rows,
          labels.toArray(String[]::new),
          categories.toArray(String[]::new),
          distance,
          statuses.toArray(Status[]::new));
    }
  }

  public int size() {
    return labels.length;
  }

  public List<Row> rows() {
    return rows;
  }

  public Status status(int seat) {
    return statuses[seat];
  }

  public String category(int seat) {
    return categories[seat];
  }

  public double distance(int seat) {
    return distances[seat];
  }

  public Row rowOf(int seat) {
    return rows.get(rowOf[seat]);
  }

  public SeatRef ref(int seat) {
    Row row = rowOf(seat);
    return new SeatRef(row.section(), row.label(), labels[seat]);
  }

  /** The seat a buyer names, if the map has it. */
  public Optional<Integer> seat(SeatRef ref) {
    return Optional.ofNullable(byRef.get(ref));
  }

  /** Whether the seat can be taken for this category: free, and of it. */
  public boolean available(int seat, String category) {
    return statuses[seat] == Status.FREE && categories[seat].equals(category);
  }

  /** Free seats of the category. */
  public int free(String category) {
    CategoryIndex of = indexOf(category);
    return of == null ? 0 : of.free;
  }

  /** Holds the seats: each must be FREE. */
  public void hold(int[] seats) {
    move(seats, Status.FREE, Status.HELD);
  }

  /** A hold ended unpaid: its seats are free again. */
  public void release(int[] seats) {
    move(seats, Status.HELD, Status.FREE);
  }

  /** A hold was paid: its seats are sold. */
  public void sell(int[] seats) {
    move(seats, Status.HELD, Status.SOLD);
  }

  private void move(int[] seats, Status from, Status to) {
    for (int seat : seats) {
      if (statuses[seat] != from) {
        throw new IllegalStateException(ref(seat) + " is " + statuses[seat] + ", not " + from);
      }
    }
    for (int seat : seats) {
      statuses[seat] = to;
      CategoryIndex of = indexOf(categories[seat]);
      of.free += to == Status.FREE ? 1 : from == Status.FREE ? -1 : 0;
      of.longest[rowOf[seat]] = -1;
      of.bestFree[rowOf[seat]] = Double.NaN;
      of.searched[rowOf[seat]] = null;
    }
  }

  @Override
  public String toString() {
    return "SeatMap" + Arrays.toString(statuses);
  }
}
