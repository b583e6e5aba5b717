package io.guichet.booking.adapter.in.web;

import io.guichet.booking.application.ReserveCommand;
import io.guichet.web.FieldError;
import io.guichet.web.JsonFields;
import java.util.List;

/** Reads the body of {@code POST /reservations}. */
final class ReserveRequestJson {

  private ReserveRequestJson() {}

  /** A parsed command, or what is wrong with the body. */
  record Parsed(ReserveCommand command, List<FieldError> errors) {}

  /**
   * @throws JsonFields.MalformedJson if the body is not a JSON object
   */
  static Parsed parse(String body) {
    JsonFields fields = JsonFields.parse(body).only("event", "offer", "quantity", "customer");
    String event = fields.id("event");
    String offer = fields.id("offer");
    String customer = fields.id("customer");
    Integer quantity = fields.integer("quantity", 1, Integer.MAX_VALUE);
    if (!fields.errors().isEmpty()) {
      return new Parsed(null, fields.errors());
    }
    return new Parsed(new ReserveCommand(event, offer, quantity, customer), List.of());
  }
}
