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
   * @param customer the calling account, who the reservation is for; the body may name it ({@code
   *     customer}) but no one else
   * @throws JsonFields.MalformedJson if the body is not a JSON object
   */
  static Parsed parse(String body, String customer) {
    JsonFields fields = JsonFields.parse(body).only("event", "offer", "quantity", "customer");
    String event = fields.id("event");
    String offer = fields.id("offer");
    if (fields.has("customer") && !customer.equals(fields.optionalText("customer", 64))) {
      fields.reject("customer", "is you: a reservation is for the account that asks for it");
    }
    Integer quantity = fields.integer("quantity", 1, Integer.MAX_VALUE);
    if (!fields.errors().isEmpty()) {
      return new Parsed(null, fields.errors());
    }
    return new Parsed(new ReserveCommand(event, offer, quantity, customer), List.of());
  }
}
