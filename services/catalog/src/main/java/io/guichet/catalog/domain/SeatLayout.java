package io.guichet.catalog.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A venue's seating: sections of rows of seats, each seat with its label, where it is drawn, its
 * category (what an offer sells), whether it is accessible and whether it is sold at all. Seats of
 * a row are in the order they stand: neighbours in the list are neighbours in the room, which is
 * what "adjacent" means when seats are picked together. Each section has a focal point (the stage,
 * the pitch's centre): the closer a seat, the better.
 *
 * @param name for the organizer, such as "Salle Pleyel, concert layout"
 */
public record SeatLayout(String name, List<Section> sections) {

  /** Most seats a layout may have: the largest stadiums hold about as many. */
  public static final int MAX_SEATS = 100_000;

  /** Violations reported at most for one document: the first ones say what is wrong. */
  static final int MAX_VIOLATIONS = 20;

  public SeatLayout {
    sections = List.copyOf(sections);
  }

  /** A point of the drawing, in the layout's own units. */
  public record Point(double x, double y) {}

  /** A section (a stand, a balcony, the stalls) and the point its seats face. */
  public record Section(String label, Point focal, List<Row> rows) {
    public Section {
      rows = List.copyOf(rows);
    }

    /** How far the seat is from the section's focal point: the smaller, the better the seat. */
    public double distance(Seat seat) {
      return Math.hypot(seat.at().x() - focal.x(), seat.at().y() - focal.y());
    }
  }

  /** A row, its seats in the order they stand. */
  public record Row(String label, List<Seat> seats) {
    public Row {
      seats = List.copyOf(seats);
    }
  }

  /**
   * A seat.
   *
   * @param sellable false for a seat that is never sold (a camera position, a broken seat)
   */
  public record Seat(
      String label, Point at, String category, boolean accessible, boolean sellable) {}

  /**
   * What the layout holds, for the organizer to check an import.
   *
   * @param seats every seat, sold or not
   * @param sellable seats that can be sold
   * @param accessible accessible seats that can be sold
   * @param categories sellable seats per category
   */
  public record Summary(
      int sections,
      int rows,
      int seats,
      int sellable,
      int accessible,
      Map<String, Integer> categories) {}

  /**
   * About how many bytes the layout's seats take in the fact that carries them to booking (each
   * label as UTF-8 with its length, a distance per seat, a row's categories): a record must stay
   * under the broker's 1 MB.
   */
  public long factBytes() {
    long bytes = 0;
    for (Section section : sections) {
      for (Row row : section.rows()) {
        bytes += utf8(section.label()) + utf8(row.label()) + 16;
        java.util.Set<String> categories = new java.util.HashSet<>();
        long each = 0;
        for (Seat seat : row.seats()) {
          bytes += utf8(seat.label()) + 4;
          categories.add(seat.category());
          each += utf8(seat.category());
        }
        // One category for the whole row, or one per seat.
        bytes += categories.size() == 1 ? utf8(categories.iterator().next()) : each;
      }
    }
    return bytes;
  }

  private static int utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
  }

  public Summary summary() {
    int rows = 0;
    int seats = 0;
    int sellable = 0;
    int accessible = 0;
    Map<String, Integer> categories = new TreeMap<>();
    for (Section section : sections) {
      rows += section.rows().size();
      for (Row row : section.rows()) {
        for (Seat seat : row.seats()) {
          seats++;
          if (seat.sellable()) {
            sellable++;
            accessible += seat.accessible() ? 1 : 0;
            categories.merge(seat.category(), 1, Integer::sum);
          }
        }
      }
    }
    return new Summary(sections.size(), rows, seats, sellable, accessible, categories);
  }

  /**
   * The rules a layout must keep, each broken one with the field of the document it concerns (such
   * as {@code sections[0].rows[3].seats[7].label}) and a message naming the section, row and seat;
   * at most {@value #MAX_VIOLATIONS}. Labels are unique where they name something: sections in the
   * layout, rows in their section, seats in their row; no two seats of a section are drawn at one
   * point; at most {@value #MAX_SEATS} seats, at least one of them sold.
   */
  public List<Violation> violations() {
    List<Violation> found = new ArrayList<>();
    Summary summary = summary();
    if (summary.seats() > MAX_SEATS) {
      found.add(
          new Violation(
              "sections", "has " + summary.seats() + " seats; a layout has at most " + MAX_SEATS));
      return found;
    }
    if (summary.sellable() == 0) {
      found.add(new Violation("sections", "has no seat that is sold"));
    }
    Set<String> sectionLabels = new HashSet<>();
    for (int s = 0; s < sections.size() && found.size() < MAX_VIOLATIONS; s++) {
      Section section = sections.get(s);
      String sectionField = "sections[" + s + "]";
      if (!sectionLabels.add(section.label())) {
        found.add(
            new Violation(
                sectionField + ".label", "section " + section.label() + " appears twice"));
      }
      Set<String> rowLabels = new HashSet<>();
      Map<Point, String> places = new HashMap<>();
      for (int r = 0; r < section.rows().size() && found.size() < MAX_VIOLATIONS; r++) {
        Row row = section.rows().get(r);
        String rowField = sectionField + ".rows[" + r + "]";
        String rowName = "row " + row.label() + " of section " + section.label();
        if (!rowLabels.add(row.label())) {
          found.add(
              new Violation(
                  rowField + ".label",
                  "row " + row.label() + " appears twice in section " + section.label()));
        }
        Set<String> seatLabels = new HashSet<>();
        for (int i = 0; i < row.seats().size() && found.size() < MAX_VIOLATIONS; i++) {
          Seat seat = row.seats().get(i);
          String seatField = rowField + ".seats[" + i + "]";
          if (!seatLabels.add(seat.label())) {
            found.add(
                new Violation(
                    seatField + ".label", "seat " + seat.label() + " appears twice in " + rowName));
          }
          String seatName = "seat " + seat.label() + " of " + rowName;
          String before = places.putIfAbsent(seat.at(), seatName);
          if (before != null) {
            found.add(
                new Violation(seatField, seatName + " is drawn at the same point as " + before));
          }
        }
      }
    }
    return found.size() > MAX_VIOLATIONS ? found.subList(0, MAX_VIOLATIONS) : found;
  }
}
