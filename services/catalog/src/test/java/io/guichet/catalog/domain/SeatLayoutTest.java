package io.guichet.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeatLayoutTest {

  private static SeatLayout.Seat seat(String label, double x, String category) {
    return new SeatLayout.Seat(label, new SeatLayout.Point(x, 0), category, false, true);
  }

  private static SeatLayout.Section section(String label, SeatLayout.Row... rows) {
    return new SeatLayout.Section(label, new SeatLayout.Point(0, 0), List.of(rows));
  }

  @Test
  void a_sound_layout_breaks_no_rule_and_says_what_it_holds() {
    SeatLayout layout =
        new SeatLayout(
            "Hall",
            List.of(
                section(
                    "A",
                    new SeatLayout.Row(
                        "1",
                        List.of(
                            seat("1", 1, "gold"),
                            new SeatLayout.Seat(
                                "2", new SeatLayout.Point(2, 0), "gold", true, true),
                            new SeatLayout.Seat(
                                "3", new SeatLayout.Point(3, 0), "gold", true, false))),
                    new SeatLayout.Row("2", List.of(seat("1", 1.5, "silver")))),
                // Another section may reuse row and seat labels, and points.
                section("B", new SeatLayout.Row("1", List.of(seat("1", 1, "silver"))))));

    assertThat(layout.violations()).isEmpty();
    assertThat(layout.summary())
        .isEqualTo(new SeatLayout.Summary(2, 3, 5, 4, 1, Map.of("gold", 2, "silver", 2)));
  }

  @Test
  void labels_twice_and_seats_at_one_point_are_named_with_their_section_row_and_seat() {
    SeatLayout layout =
        new SeatLayout(
            "Hall",
            List.of(
                section(
                    "A",
                    new SeatLayout.Row("1", List.of(seat("1", 1, "gold"), seat("1", 2, "gold"))),
                    new SeatLayout.Row("1", List.of(seat("9", 2, "gold")))),
                section("A", new SeatLayout.Row("1", List.of(seat("1", 5, "gold"))))));

    assertThat(layout.violations())
        .containsExactly(
            new Violation(
                "sections[0].rows[0].seats[1].label", "seat 1 appears twice in row 1 of section A"),
            new Violation("sections[0].rows[1].label", "row 1 appears twice in section A"),
            new Violation(
                "sections[0].rows[1].seats[0]",
                "seat 9 of row 1 of section A is drawn at the same point as seat 1 of row 1 of"
                    + " section A"),
            new Violation("sections[1].label", "section A appears twice"));
  }

  @Test
  void a_layout_with_no_seat_sold_or_too_many_seats_is_refused_as_a_whole() {
    SeatLayout unsold =
        new SeatLayout(
            "Hall",
            List.of(
                section(
                    "A",
                    new SeatLayout.Row(
                        "1",
                        List.of(
                            new SeatLayout.Seat(
                                "1", new SeatLayout.Point(0, 0), "gold", false, false))))));
    assertThat(unsold.violations())
        .containsExactly(new Violation("sections", "has no seat that is sold"));

    List<SeatLayout.Row> rows = new ArrayList<>();
    for (int r = 0; r < 1001; r++) {
      List<SeatLayout.Seat> seats = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        seats.add(new SeatLayout.Seat("" + i, new SeatLayout.Point(i, r), "gold", false, true));
      }
      rows.add(new SeatLayout.Row("" + r, seats));
    }
    SeatLayout huge =
        new SeatLayout(
            "Stadium", List.of(new SeatLayout.Section("A", new SeatLayout.Point(0, 0), rows)));
    assertThat(huge.violations())
        .containsExactly(
            new Violation("sections", "has 100100 seats; a layout has at most 100000"));
  }

  @Test
  void at_most_twenty_violations_are_reported() {
    List<SeatLayout.Seat> seats = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      seats.add(seat("1", i, "gold"));
    }
    SeatLayout layout =
        new SeatLayout("Hall", List.of(section("A", new SeatLayout.Row("1", seats))));
    assertThat(layout.violations()).hasSize(SeatLayout.MAX_VIOLATIONS);
  }
}
