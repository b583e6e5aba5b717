package io.guichet.catalog.adapter.in.web;

import io.guichet.catalog.domain.LayoutVersion;
import io.guichet.catalog.domain.SeatLayout;
import io.guichet.catalog.domain.Seating;
import java.util.List;
import java.util.Map;

/**
 * An event's seat map as buyers draw it (issue 21): the layout version the event is sold on, every
 * seat where it stands with its category, and the offer that sells each category. Which seats are
 * taken is the query service's ({@code /views/events/{id}/seats}).
 *
 * @param offers the offer that sells each seat category
 */
public record SeatMapView(
    String eventId,
    String layoutId,
    int layoutVersion,
    String name,
    Map<String, String> offers,
    List<Section> sections) {

  /** A section and the point its seats face. */
  public record Section(String label, double focalX, double focalY, List<Row> rows) {}

  public record Row(String label, List<Seat> seats) {}

  /**
   * @param sellable false for a seat that is never sold
   */
  public record Seat(
      String label, double x, double y, String category, boolean accessible, boolean sellable) {}

  static SeatMapView of(String eventId, Seating seating, LayoutVersion version) {
    SeatLayout layout = version.layout();
    return new SeatMapView(
        eventId,
        seating.layoutId(),
        seating.layoutVersion(),
        layout.name(),
        seating.offers(),
        layout.sections().stream()
            .map(
                section ->
                    new Section(
                        section.label(),
                        section.focal().x(),
                        section.focal().y(),
                        section.rows().stream()
                            .map(
                                row ->
                                    new Row(
                                        row.label(),
                                        row.seats().stream()
                                            .map(
                                                seat ->
                                                    new Seat(
                                                        seat.label(),
                                                        seat.at().x(),
                                                        seat.at().y(),
                                                        seat.category(),
                                                        seat.accessible(),
                                                        seat.sellable()))
                                            .toList()))
                            .toList()))
            .toList());
  }
}
