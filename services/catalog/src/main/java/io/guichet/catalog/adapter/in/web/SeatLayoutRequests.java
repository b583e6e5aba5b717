package io.guichet.catalog.adapter.in.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.guichet.catalog.domain.SeatLayout;
import io.guichet.catalog.domain.Violation;
import io.guichet.web.constraints.Text;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A seat layout as an organizer imports it: a JSON document of sections, rows and seats. A row
 * lists its seats one by one ({@code seats}), or numbers them ({@code numbered}: from, to, where
 * the first is drawn and the step to the next), which keeps a stadium's document small.
 */
final class SeatLayoutRequests {

  private SeatLayoutRequests() {}

  private static final String REQUIRED = "is required";

  /** Section, row and seat labels: letters, digits, spaces and {@code . _ ' -}, up to 30. */
  static final String LABEL = "[\\p{L}\\p{N}][\\p{L}\\p{N} ._'-]{0,29}";

  private static final String LABEL_RULE =
      "must be 1 to 30 letters, digits, spaces or . _ ' - (starting with a letter or digit)";

  /** A seat category: what an offer of an event sells. */
  static final String CATEGORY = "[A-Za-z0-9][A-Za-z0-9 _-]{0,49}";

  private static final String CATEGORY_RULE =
      "must be 1 to 50 letters, digits, spaces, _ or - (starting with a letter or digit)";

  /**
   * {@code POST /seat-layouts}, {@code PUT /seat-layouts/{id}}: a whole layout.
   *
   * @param name for the organizer, such as "Salle Pleyel, concert layout"
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record LayoutDocument(
      @NotNull(message = REQUIRED) @Text(max = 200) String name,
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = 200, message = "must have 1 to 200 sections")
          List<@NotNull(message = REQUIRED) @Valid LayoutSection> sections) {

    /**
     * The layout it describes, or what is wrong with it: a numbered row's count, step or the seats
     * its lists name, and then the layout's own rules ({@link SeatLayout#violations()}).
     */
    LayoutResult layout() {
      List<Violation> violations = new ArrayList<>();
      List<SeatLayout.Section> built = new ArrayList<>();
      int seats = 0;
      for (int s = 0; s < sections.size(); s++) {
        LayoutSection section = sections.get(s);
        List<SeatLayout.Row> rows = new ArrayList<>();
        for (int r = 0; r < section.rows().size(); r++) {
          String field = "sections[" + s + "].rows[" + r + "]";
          LayoutRow row = section.rows().get(r);
          SeatLayout.Row expanded = row.row(field, section.label(), violations);
          seats += expanded.seats().size();
          if (seats > SeatLayout.MAX_SEATS) {
            violations.add(
                new Violation(
                    "sections", "has more than " + SeatLayout.MAX_SEATS + " seats; at most that"));
            return new LayoutResult(null, violations);
          }
          rows.add(expanded);
        }
        built.add(
            new SeatLayout.Section(
                section.label(),
                new SeatLayout.Point(section.focal().x(), section.focal().y()),
                rows));
      }
      if (!violations.isEmpty()) {
        return new LayoutResult(null, violations);
      }
      SeatLayout layout = new SeatLayout(name.strip(), built);
      List<Violation> broken = layout.violations().stream().map(this::inDocument).toList();
      return broken.isEmpty()
          ? new LayoutResult(layout, List.of())
          : new LayoutResult(null, broken);
    }

    /** A numbered row has no seats in the document: what concerns its seats names its numbering. */
    private Violation inDocument(Violation violation) {
      java.util.regex.Matcher seat = SEAT_FIELD.matcher(String.valueOf(violation.field()));
      if (seat.matches()
          && sections
                  .get(Integer.parseInt(seat.group(2)))
                  .rows()
                  .get(Integer.parseInt(seat.group(3)))
                  .numbered()
              != null) {
        return new Violation(seat.group(1) + ".numbered", violation.message());
      }
      return violation;
    }
  }

  private static final java.util.regex.Pattern SEAT_FIELD =
      java.util.regex.Pattern.compile("(sections\\[(\\d+)]\\.rows\\[(\\d+)])\\.seats\\[\\d+].*");

  /** A layout, or what is wrong with the document. */
  record LayoutResult(SeatLayout layout, List<Violation> violations) {}

  /**
   * A section.
   *
   * @param focal the point its seats face (the stage, the pitch's centre): the closer, the better
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record LayoutSection(
      @NotNull(message = REQUIRED) @Pattern(regexp = LABEL, message = LABEL_RULE) String label,
      @NotNull(message = REQUIRED) @Valid LayoutPoint focal,
      @NotNull(message = REQUIRED) @Size(min = 1, max = 1000, message = "must have 1 to 1000 rows")
          List<@NotNull(message = REQUIRED) @Valid LayoutRow> rows) {}

  /** A point of the drawing, in the layout's own units (metres, pixels...). */
  record LayoutPoint(
      @NotNull(message = REQUIRED)
          @DecimalMin(value = "-1000000", message = "must be at least -1000000")
          @DecimalMax(value = "1000000", message = "must be at most 1000000")
          Double x,
      @NotNull(message = REQUIRED)
          @DecimalMin(value = "-1000000", message = "must be at least -1000000")
          @DecimalMax(value = "1000000", message = "must be at most 1000000")
          Double y) {}

  /**
   * A row: its seats listed ({@code seats}) or numbered ({@code numbered}), one of the two.
   *
   * @param category the category of its seats that do not name one (of every seat, when numbered)
   * @param accessible labels of its accessible seats (for a numbered row; a listed seat says it)
   * @param unsold labels of its seats that are never sold (likewise)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record LayoutRow(
      @NotNull(message = REQUIRED) @Pattern(regexp = LABEL, message = LABEL_RULE) String label,
      @Size(min = 1, max = 1000, message = "must have 1 to 1000 seats")
          List<@NotNull(message = REQUIRED) @Valid LayoutSeat> seats,
      @Valid RowNumbering numbered,
      @Pattern(regexp = CATEGORY, message = CATEGORY_RULE) String category,
      @Size(max = 1000, message = "must name at most 1000 seats")
          List<@NotNull(message = REQUIRED) @Pattern(regexp = LABEL, message = LABEL_RULE) String>
              accessible,
      @Size(max = 1000, message = "must name at most 1000 seats")
          List<@NotNull(message = REQUIRED) @Pattern(regexp = LABEL, message = LABEL_RULE) String>
              unsold) {

    SeatLayout.Row row(String field, String section, List<Violation> violations) {
      String name = "row " + label + " of section " + section;
      if ((seats == null) == (numbered == null)) {
        violations.add(
            new Violation(field, name + " must have either seats or numbered, not both or none"));
        return new SeatLayout.Row(label, List.of());
      }
      List<SeatLayout.Seat> built = new ArrayList<>();
      if (seats != null) {
        for (int i = 0; i < seats.size(); i++) {
          LayoutSeat seat = seats.get(i);
          String seatCategory = seat.category() != null ? seat.category() : category;
          if (seatCategory == null) {
            violations.add(
                new Violation(
                    field + ".seats[" + i + "].category",
                    "seat " + seat.label() + " of " + name + " needs a category (or its row one)"));
          }
          built.add(
              new SeatLayout.Seat(
                  seat.label(),
                  new SeatLayout.Point(seat.x(), seat.y()),
                  seatCategory,
                  Boolean.TRUE.equals(seat.accessible()),
                  !Boolean.TRUE.equals(seat.unsold())));
        }
        if (accessible != null || unsold != null) {
          violations.add(
              new Violation(
                  field + (accessible != null ? ".accessible" : ".unsold"),
                  name + " lists its seats: each seat says whether it is accessible or unsold"));
        }
        return new SeatLayout.Row(label, built);
      }
      if (category == null) {
        violations.add(new Violation(field + ".category", name + " is numbered: it needs one"));
      }
      List<String> labels = numbered.labels(field + ".numbered", name, violations);
      Set<String> known = new HashSet<>(labels);
      Set<String> accessibleSeats =
          named(accessible, known, field + ".accessible", name, violations);
      Set<String> unsoldSeats = named(unsold, known, field + ".unsold", name, violations);
      for (int i = 0; i < labels.size(); i++) {
        built.add(
            new SeatLayout.Seat(
                labels.get(i),
                new SeatLayout.Point(
                    numbered.x() + i * numbered.stepX(), numbered.y() + i * numbered.stepY()),
                category,
                accessibleSeats.contains(labels.get(i)),
                !unsoldSeats.contains(labels.get(i))));
      }
      return new SeatLayout.Row(label, built);
    }

    private static Set<String> named(
        List<String> seats,
        Set<String> known,
        String field,
        String row,
        List<Violation> violations) {
      if (seats == null) {
        return Set.of();
      }
      for (int i = 0; i < seats.size(); i++) {
        if (!known.contains(seats.get(i))) {
          violations.add(
              new Violation(field + "[" + i + "]", row + " has no seat " + seats.get(i)));
        }
      }
      return new HashSet<>(seats);
    }
  }

  /**
   * A seat of a row that lists its seats.
   *
   * @param category its category; its row's when absent
   * @param accessible whether it suits a wheelchair; not by default
   * @param unsold whether it is never sold (a camera position, a broken seat); not by default
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record LayoutSeat(
      @NotNull(message = REQUIRED) @Pattern(regexp = LABEL, message = LABEL_RULE) String label,
      @NotNull(message = REQUIRED)
          @DecimalMin(value = "-1000000", message = "must be at least -1000000")
          @DecimalMax(value = "1000000", message = "must be at most 1000000")
          Double x,
      @NotNull(message = REQUIRED)
          @DecimalMin(value = "-1000000", message = "must be at least -1000000")
          @DecimalMax(value = "1000000", message = "must be at most 1000000")
          Double y,
      @Pattern(regexp = CATEGORY, message = CATEGORY_RULE) String category,
      Boolean accessible,
      Boolean unsold) {}

  /**
   * A numbered row's seats: numbers {@code from} to {@code to} (downwards when {@code to} is
   * smaller) by {@code step} (1, or 2 for rows numbered odd and even on each side), the first drawn
   * at ({@code x}, {@code y}) and each next one ({@code dx}, {@code dy}) further.
   *
   * @param dx 1 when absent
   * @param dy 0 when absent
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RowNumbering(
      @NotNull(message = REQUIRED)
          @Min(value = 0, message = "must be at least 0")
          @Max(value = 9999, message = "must be at most 9999")
          Integer from,
      @NotNull(message = REQUIRED)
          @Min(value = 0, message = "must be at least 0")
          @Max(value = 9999, message = "must be at most 9999")
          Integer to,
      @Min(value = 1, message = "must be 1 or 2") @Max(value = 2, message = "must be 1 or 2")
          Integer step,
      @NotNull(message = REQUIRED)
          @DecimalMin(value = "-1000000", message = "must be at least -1000000")
          @DecimalMax(value = "1000000", message = "must be at most 1000000")
          Double x,
      @NotNull(message = REQUIRED)
          @DecimalMin(value = "-1000000", message = "must be at least -1000000")
          @DecimalMax(value = "1000000", message = "must be at most 1000000")
          Double y,
      @DecimalMin(value = "-10000", message = "must be at least -10000")
          @DecimalMax(value = "10000", message = "must be at most 10000")
          Double dx,
      @DecimalMin(value = "-10000", message = "must be at least -10000")
          @DecimalMax(value = "10000", message = "must be at most 10000")
          Double dy) {

    double stepX() {
      return dx == null ? 1 : dx;
    }

    double stepY() {
      return dy == null ? 0 : dy;
    }

    /** Its seats' labels in order; none, with a violation, when they cannot be numbered. */
    List<String> labels(String field, String row, List<Violation> violations) {
      int by = step == null ? 1 : step;
      int span = Math.abs(to - from);
      if (span % by != 0) {
        violations.add(
            new Violation(
                field + ".to", row + ": from " + from + " by " + by + " never reaches " + to));
        return List.of();
      }
      if (span / by + 1 > 1000) {
        violations.add(new Violation(field, row + " would have more than 1000 seats"));
        return List.of();
      }
      if (span > 0 && stepX() == 0 && stepY() == 0) {
        violations.add(
            new Violation(
                field + ".dx", row + ": dx and dy are 0, its seats would be drawn at one point"));
        return List.of();
      }
      List<String> labels = new ArrayList<>();
      int direction = to >= from ? by : -by;
      for (int n = from; direction > 0 ? n <= to : n >= to; n += direction) {
        labels.add(Integer.toString(n));
      }
      return labels;
    }
  }
}
