package io.guichet.booking.adapter.out.r2dbc;

import io.guichet.booking.domain.SeatMap.SeatRef;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/** A reservation's seats as the status table keeps them: a JSON array of section, row and seat. */
final class AssignedSeats {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AssignedSeats() {}

  /** The column's value: null (the row keeps what it has) when there is no seat. */
  static String write(List<SeatRef> seats) {
    if (seats.isEmpty()) {
      return null;
    }
    ArrayNode array = JSON.createArrayNode();
    for (SeatRef seat : seats) {
      array
          .addObject()
          .put("section", seat.section())
          .put("row", seat.row())
          .put("seat", seat.seat());
    }
    return array.toString();
  }

  static List<SeatRef> read(String column) {
    if (column == null) {
      return List.of();
    }
    List<SeatRef> seats = new ArrayList<>();
    for (JsonNode seat : JSON.readTree(column)) {
      seats.add(
          new SeatRef(
              seat.path("section").asString(),
              seat.path("row").asString(),
              seat.path("seat").asString()));
    }
    return seats;
  }
}
