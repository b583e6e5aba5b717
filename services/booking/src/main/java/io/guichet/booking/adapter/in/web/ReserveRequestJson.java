package io.guichet.booking.adapter.in.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guichet.booking.application.FieldError;
import io.guichet.booking.application.ReserveCommand;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /reservations} and says exactly which field is missing, of the
 * wrong type or unexpected, rather than a binder's generic message.
 */
final class ReserveRequestJson {

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  private static final Set<String> FIELDS = Set.of("event", "offer", "quantity", "customer");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReserveRequestJson() {}

  /** A parsed command, or what is wrong with the body. */
  record Parsed(ReserveCommand command, List<FieldError> errors) {}

  /**
   * @throws MalformedBody if the body is not a JSON object
   */
  static Parsed parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw new MalformedBody("the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedBody("the body is empty; expected a JSON object");
    }
    if (!root.isObject()) {
      throw new MalformedBody("the body must be a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError(name, "is not a field of a reservation request"));
      }
    }
    String event = id(root, "event", errors);
    String offer = id(root, "offer", errors);
    String customer = id(root, "customer", errors);
    Integer quantity = quantity(root, errors);
    if (!errors.isEmpty()) {
      return new Parsed(null, errors);
    }
    return new Parsed(new ReserveCommand(event, offer, quantity, customer), List.of());
  }

  private static String id(JsonNode root, String field, List<FieldError> errors) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      errors.add(new FieldError(field, "is required"));
      return null;
    }
    if (!value.isTextual()) {
      errors.add(new FieldError(field, "must be a string id"));
      return null;
    }
    if (!ID.matcher(value.asText()).matches()) {
      errors.add(
          new FieldError(
              field,
              "must be 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a"
                  + " letter or digit"));
      return null;
    }
    return value.asText();
  }

  private static Integer quantity(JsonNode root, List<FieldError> errors) {
    JsonNode value = root.get("quantity");
    if (value == null || value.isNull()) {
      errors.add(new FieldError("quantity", "is required"));
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      errors.add(new FieldError("quantity", "must be a whole number"));
      return null;
    }
    int quantity = value.intValue();
    if (quantity < 1) {
      errors.add(new FieldError("quantity", "must be at least 1"));
      return null;
    }
    return quantity;
  }

  /** The body is not a JSON object at all. */
  static final class MalformedBody extends RuntimeException {
    MalformedBody(String message) {
      super(message);
    }
  }
}
