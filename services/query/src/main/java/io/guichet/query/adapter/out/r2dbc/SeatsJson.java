package io.guichet.query.adapter.out.r2dbc;

import io.guichet.events.booking.HeldSeat;
import io.guichet.query.domain.Seat;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/** A hold's seats as the read models keep them: a JSON array of [section, row, seat]. */
final class SeatsJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SeatsJson() {}

  /** The column's value; null for a hold without seats of its own (general admission). */
  static String write(List<HeldSeat> seats) {
    if (seats.isEmpty()) {
      return null;
    }
    ArrayNode array = JSON.createArrayNode();
    for (HeldSeat seat : seats) {
      array.addArray().add(seat.getSection()).add(seat.getRow()).add(seat.getSeat());
    }
    return array.toString();
  }

  static List<Seat> read(String column) {
    List<Seat> seats = new ArrayList<>();
    if (column != null) {
      for (JsonNode seat : JSON.readTree(column)) {
        seats.add(new Seat(seat.get(0).asString(), seat.get(1).asString(), seat.get(2).asString()));
      }
    }
    return seats;
  }
}
