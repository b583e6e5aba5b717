package io.guichet.catalog.adapter.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.catalog.domain.SeatLayout;
import io.guichet.events.catalog.SeatingAssigned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The catalog refuses to seat an event whose SeatingAssigned would not fit the broker; it decides
 * from {@link SeatLayout#factBytes()}, which must not under-count the record it stands for.
 */
class SeatingFactSizeTest {

  @Test
  void the_estimate_is_never_below_the_records_size_and_close_to_it() throws Exception {
    for (int labelLength : List.of(2, 12, 30)) {
      for (boolean mixed : List.of(false, true)) {
        SeatLayout layout = stadium(labelLength, mixed);
        SeatingAssigned fact =
            SeatingAssigned.newBuilder()
                .setId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setEventId(UUID.randomUUID().toString())
                .setLayoutId(UUID.randomUUID().toString())
                .setLayoutVersion(1)
                .setOffers(Map.of("premium", UUID.randomUUID().toString()))
                .setRows(OutboxCatalogFacts.rows(layout))
                .build();
        int bytes = fact.toByteBuffer().remaining();
        assertThat(layout.factBytes())
            .as("labels of %d, mixed categories %s", labelLength, mixed)
            .isGreaterThanOrEqualTo(bytes - 1_000)
            .isLessThan(bytes * 13L / 10);
      }
    }
  }

  /** 2,000 rows of 10 seats, labels this long; mixed: each row's seats of two categories. */
  private static SeatLayout stadium(int labelLength, boolean mixed) {
    List<SeatLayout.Row> rows = new ArrayList<>();
    for (int r = 0; r < 2_000; r++) {
      List<SeatLayout.Seat> seats = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String label = ("s" + i + "-").repeat(labelLength).substring(0, labelLength);
        seats.add(
            new SeatLayout.Seat(
                label + i,
                new SeatLayout.Point(i, r),
                mixed && i % 2 == 0 ? "premium" : "standard",
                false,
                true));
      }
      rows.add(new SeatLayout.Row("Row " + r, seats));
    }
    return new SeatLayout(
        "Stade", List.of(new SeatLayout.Section("Tribune Nord", new SeatLayout.Point(0, 0), rows)));
  }
}
