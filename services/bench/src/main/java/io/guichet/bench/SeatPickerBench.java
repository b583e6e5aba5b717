package io.guichet.bench;

import io.guichet.booking.domain.SeatMap;
import io.guichet.booking.domain.SeatPicker;
import java.util.Optional;
import java.util.Random;

/**
 * Best-available seat picking in the allocator's domain (issue 21), without Kafka: a 60,000-seat
 * stadium (4 stands of 500 rows of 30, the first 100 rows of each "premium") whose 48,000
 * "standard" seats are sold out by requests of 1 to 4 seats, each pick held at once. It times
 * {@link SeatPicker#bestAvailable} (rows best first, skipped by their longest free run) against its
 * baseline in the same run, the same rules searching every row ({@link
 * SeatPicker#bestAvailableScanningEveryRow}), and checks that each sold every seat once.
 */
final class SeatPickerBench {

  private static final int STANDS = 4;
  private static final int ROWS = 500;
  private static final int SEATS = 30;

  private final int rounds;

  SeatPickerBench(int rounds) {
    this.rounds = rounds;
  }

  /** Picks a second of both, per round (the first round warms the JIT up), and their ratio. */
  String run() {
    StringBuilder report = new StringBuilder("seat picker, a 60,000-seat stadium sold out\n");
    for (int round = 1; round <= rounds; round++) {
      double indexed = picksPerSecond(true, round);
      double scanning = picksPerSecond(false, round);
      report.append(
          String.format(
              "  round %d of %d: best available %,.0f picks/s, every row searched (baseline) %,.0f"
                  + " picks/s: %.1f x%n",
              round, rounds, indexed, scanning, indexed / scanning));
    }
    return report.toString();
  }

  private static double picksPerSecond(boolean indexed, long seed) {
    SeatMap map = stadium();
    int standard = map.free("standard");
    Random random = new Random(seed);
    int picks = 0;
    int sold = 0;
    long started = System.nanoTime();
    while (map.free("standard") > 0) {
      int wanted = 1 + random.nextInt(4);
      Optional<SeatPicker.Pick> pick =
          indexed
              ? SeatPicker.bestAvailable(map, "standard", wanted)
              : SeatPicker.bestAvailableScanningEveryRow(map, "standard", wanted);
      if (pick.isEmpty()) {
        continue;
      }
      int[] seats = pick.get().seats();
      map.hold(seats);
      sold += seats.length;
      picks++;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (sold != standard) {
      throw new IllegalStateException(sold + " seats sold of " + standard);
    }
    return picks / seconds;
  }

  private static SeatMap stadium() {
    SeatMap.Builder map = SeatMap.builder();
    for (int stand = 0; stand < STANDS; stand++) {
      for (int row = 1; row <= ROWS; row++) {
        map.row("Tribune " + stand, Integer.toString(row));
        for (int seat = 1; seat <= SEATS; seat++) {
          map.seat(
              Integer.toString(seat),
              row <= 100 ? "premium" : "standard",
              Math.hypot(seat - (SEATS + 1) / 2.0, row + 10),
              true);
        }
      }
    }
    return map.build();
  }
}
