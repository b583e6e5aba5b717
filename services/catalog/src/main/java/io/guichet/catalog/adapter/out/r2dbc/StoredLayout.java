package io.guichet.catalog.adapter.out.r2dbc;

import io.guichet.catalog.domain.SeatLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A seat layout as {@code seat_layout_versions.layout} keeps it: a row's seats as columns (labels,
 * coordinates, categories) rather than one object per seat, which keeps a stadium's 60,000 seats to
 * a few hundred kilobytes.
 */
record StoredLayout(String name, List<StoredSection> sections) {

  record StoredSection(String label, double focalX, double focalY, List<StoredRow> rows) {}

  /**
   * @param categories one per seat, or a single one for every seat of the row
   * @param accessible the indexes of its accessible seats
   * @param unsold the indexes of its seats that are never sold
   */
  record StoredRow(
      String label,
      List<String> seats,
      double[] x,
      double[] y,
      List<String> categories,
      List<Integer> accessible,
      List<Integer> unsold) {}

  static StoredLayout of(SeatLayout layout) {
    List<StoredSection> sections = new ArrayList<>();
    for (SeatLayout.Section section : layout.sections()) {
      List<StoredRow> rows = new ArrayList<>();
      for (SeatLayout.Row row : section.rows()) {
        int n = row.seats().size();
        List<String> labels = new ArrayList<>(n);
        double[] x = new double[n];
        double[] y = new double[n];
        List<String> categories = new ArrayList<>(n);
        List<Integer> accessible = new ArrayList<>();
        List<Integer> unsold = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          SeatLayout.Seat seat = row.seats().get(i);
          labels.add(seat.label());
          x[i] = seat.at().x();
          y[i] = seat.at().y();
          categories.add(seat.category());
          if (seat.accessible()) {
            accessible.add(i);
          }
          if (!seat.sellable()) {
            unsold.add(i);
          }
        }
        boolean uniform = categories.stream().distinct().count() == 1;
        rows.add(
            new StoredRow(
                row.label(),
                labels,
                x,
                y,
                uniform ? List.of(categories.get(0)) : categories,
                accessible,
                unsold));
      }
      sections.add(
          new StoredSection(section.label(), section.focal().x(), section.focal().y(), rows));
    }
    return new StoredLayout(layout.name(), sections);
  }

  SeatLayout layout() {
    List<SeatLayout.Section> built = new ArrayList<>();
    for (StoredSection section : sections) {
      List<SeatLayout.Row> rows = new ArrayList<>();
      for (StoredRow row : section.rows()) {
        List<SeatLayout.Seat> seats = new ArrayList<>(row.seats().size());
        java.util.Set<Integer> accessible = new java.util.HashSet<>(row.accessible());
        java.util.Set<Integer> unsold = new java.util.HashSet<>(row.unsold());
        for (int i = 0; i < row.seats().size(); i++) {
          seats.add(
              new SeatLayout.Seat(
                  row.seats().get(i),
                  new SeatLayout.Point(row.x()[i], row.y()[i]),
                  row.categories().size() == 1 ? row.categories().get(0) : row.categories().get(i),
                  accessible.contains(i),
                  !unsold.contains(i)));
        }
        rows.add(new SeatLayout.Row(row.label(), seats));
      }
      built.add(
          new SeatLayout.Section(
              section.label(), new SeatLayout.Point(section.focalX(), section.focalY()), rows));
    }
    return new SeatLayout(name, built);
  }
}
