package io.guichet.catalog.adapter.in.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.guichet.catalog.domain.LayoutVersion;
import io.guichet.catalog.domain.SeatLayout;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * A version of a seat layout: what it holds, and the document it was imported from.
 *
 * @param seats every seat, sold or not
 * @param sellable seats that can be sold
 * @param accessible accessible seats that can be sold
 * @param categories sellable seats per category: an event's offers sell these
 * @param document the layout as imported (absent in lists)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeatLayoutView(
    String id,
    String organizerId,
    int version,
    String name,
    int sections,
    int rows,
    int seats,
    int sellable,
    int accessible,
    Map<String, Integer> categories,
    Instant createdAt,
    SeatLayoutRequests.LayoutDocument document) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static SeatLayoutView of(LayoutVersion version, boolean withDocument) {
    SeatLayout.Summary summary = version.layout().summary();
    return new SeatLayoutView(
        version.layoutId(),
        version.organizerId(),
        version.version(),
        version.layout().name(),
        summary.sections(),
        summary.rows(),
        summary.seats(),
        summary.sellable(),
        summary.accessible(),
        summary.categories(),
        version.createdAt(),
        withDocument
            ? JSON.readValue(version.document(), SeatLayoutRequests.LayoutDocument.class)
            : null);
  }
}
