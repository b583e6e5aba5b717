package io.guichet.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a JSON request body field by field and collects, for each field, what is missing, of the
 * wrong type or out of range, named as the client sent it ({@code venue.capacity}). A binder's
 * generic message would not say which field; this does, and it reports every bad field at once.
 *
 * <p>Each getter answers null when the field is bad (its error is recorded); callers build their
 * command only when {@link #errors()} is empty.
 */
public final class JsonFields {

  /** Ids: 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode object;
  private final String prefix;
  private final List<FieldError> errors;

  private JsonFields(JsonNode object, String prefix, List<FieldError> errors) {
    this.object = object;
    this.prefix = prefix;
    this.errors = errors;
  }

  /**
   * @throws MalformedJson if the body is empty, not JSON or not a JSON object
   */
  public static JsonFields parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw new MalformedJson("the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedJson("the body is empty; expected a JSON object");
    }
    if (!root.isObject()) {
      throw new MalformedJson("the body must be a JSON object");
    }
    return new JsonFields(root, "", new ArrayList<>());
  }

  /** What is wrong so far, in this object and the ones read through it. */
  public List<FieldError> errors() {
    return errors;
  }

  /** Records an error found by the caller (a rule across fields, for example). */
  public void reject(String field, String message) {
    errors.add(new FieldError(prefix + field, message));
  }

  /** Refuses fields other than these: a misspelt optional field must not pass silently. */
  public JsonFields only(String... allowed) {
    Set<String> names = Set.of(allowed);
    for (Iterator<String> fields = object.fieldNames(); fields.hasNext(); ) {
      String name = fields.next();
      if (!names.contains(name)) {
        reject(name, "is not a known field");
      }
    }
    return this;
  }

  /** Whether the field is present and not null. */
  public boolean has(String field) {
    JsonNode value = object.get(field);
    return value != null && !value.isNull();
  }

  /** A required string, trimmed, of 1 to {@code maxLength} characters. */
  public String text(String field, int maxLength) {
    if (!has(field)) {
      reject(field, "is required");
      return null;
    }
    return optionalText(field, maxLength);
  }

  /** An optional string (null when absent), trimmed, of 1 to {@code maxLength} characters. */
  public String optionalText(String field, int maxLength) {
    if (!has(field)) {
      return null;
    }
    JsonNode value = object.get(field);
    if (!value.isTextual()) {
      reject(field, "must be a string");
      return null;
    }
    String text = value.asText().strip();
    if (text.isEmpty()) {
      reject(field, "must not be blank");
      return null;
    }
    if (text.length() > maxLength) {
      reject(field, "must be at most " + maxLength + " characters");
      return null;
    }
    return text;
  }

  /**
   * A required string taken exactly as sent (not trimmed: a password's spaces count), of 1 to
   * {@code maxLength} characters.
   */
  public String exactText(String field, int maxLength) {
    if (!has(field)) {
      reject(field, "is required");
      return null;
    }
    JsonNode value = object.get(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      reject(field, "must be a non-empty string");
      return null;
    }
    if (value.asText().length() > maxLength) {
      reject(field, "must be at most " + maxLength + " characters");
      return null;
    }
    return value.asText();
  }

  /**
   * An optional array (empty when absent) of at most {@code maxItems} strings, each trimmed, of 1
   * to {@code maxLength} characters.
   */
  public List<String> texts(String field, int maxItems, int maxLength) {
    if (!has(field)) {
      return List.of();
    }
    JsonNode value = object.get(field);
    if (!value.isArray()) {
      reject(field, "must be an array of strings");
      return null;
    }
    if (value.size() > maxItems) {
      reject(field, "must have at most " + maxItems + " items");
      return null;
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode item : value) {
      String text = item.isTextual() ? item.asText().strip() : "";
      if (text.isEmpty() || text.length() > maxLength) {
        reject(field, "must hold strings of 1 to " + maxLength + " characters");
        return null;
      }
      texts.add(text);
    }
    return texts;
  }

  /** A required id ({@link #ID}). */
  public String id(String field) {
    if (!has(field)) {
      reject(field, "is required");
      return null;
    }
    JsonNode value = object.get(field);
    if (!value.isTextual()) {
      reject(field, "must be a string id");
      return null;
    }
    if (!ID.matcher(value.asText()).matches()) {
      reject(
          field,
          "must be 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
      return null;
    }
    return value.asText();
  }

  /** A required whole number within [min, max]. */
  public Integer integer(String field, int min, int max) {
    Long value = longInteger(field, min, max);
    return value == null ? null : value.intValue();
  }

  /** A required whole number within [min, max]. */
  public Long longInteger(String field, long min, long max) {
    if (!has(field)) {
      reject(field, "is required");
      return null;
    }
    JsonNode value = object.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      reject(field, "must be a whole number");
      return null;
    }
    long number = value.longValue();
    if (number < min) {
      reject(field, "must be at least " + min);
      return null;
    }
    if (number > max) {
      reject(field, "must be at most " + max);
      return null;
    }
    return number;
  }

  /** A required enum constant, given as its name in any case. */
  public <E extends Enum<E>> E oneOf(String field, Class<E> type) {
    String text = text(field, 64);
    if (text == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      reject(
          field,
          "must be one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")));
      return null;
    }
  }

  /** A required nested object, read with the field's name as prefix of its fields' names. */
  public JsonFields object(String field) {
    if (!has(field)) {
      reject(field, "is required");
      return null;
    }
    JsonNode value = object.get(field);
    if (!value.isObject()) {
      reject(field, "must be an object");
      return null;
    }
    return new JsonFields(value, prefix + field + ".", errors);
  }

  /** The body is not a JSON object at all. */
  public static final class MalformedJson extends RuntimeException {
    public MalformedJson(String message) {
      super(message);
    }
  }
}
