package io.guichet.standalone;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile requests derived from an OpenAPI document: for every operation, a request that is valid
 * by the document, then one change at a time that the document says is wrong (a wrong type, a
 * missing or extra field, a number past its bounds, a text too long or off its pattern, a control
 * character, a lone surrogate) and changes to the body as a whole (a key twice, data after it, a
 * second document, not an object, not JSON, too large). None of them may succeed.
 */
final class FuzzCases {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String TOO_LARGE = "x".repeat(300 * 1024);

  /** One hostile request. */
  record Case(
      String service,
      String method,
      String path,
      Map<String, String> headers,
      String contentType,
      String body,
      String what) {

    @Override
    public String toString() {
      return method + " " + path + " (" + what + ")";
    }
  }

  private final JsonNode document;

  private FuzzCases(JsonNode document) {
    this.document = document;
  }

  static List<Case> of(JsonNode document) {
    return new FuzzCases(document).all();
  }

  private List<Case> all() {
    List<Case> cases = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        cases.addAll(
            of(path.getKey(), operation.getKey().toUpperCase(Locale.ROOT), operation.getValue()));
      }
    }
    return cases;
  }

  private List<Case> of(String template, String method, JsonNode operation) {
    String service = operation.path("tags").path(0).asString();
    List<JsonNode> parameters = new ArrayList<>();
    operation.path("parameters").forEach(parameters::add);
    JsonNode bodySchema =
        operation.path("requestBody").path("content").path("application/json").path("schema");
    boolean hasBody = !bodySchema.isMissingNode();
    if (parameters.isEmpty() && !hasBody) {
      return List.of(); // nothing a client can get wrong
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (JsonNode parameter : parameters) {
      values.put(parameter.path("name").asString(), text(valid(parameter.path("schema"))));
    }
    JsonNode body = hasBody ? valid(bodySchema) : null;
    Request valid = new Request(template, method, parameters, values, body);
    List<Case> cases = new ArrayList<>();
    for (JsonNode parameter : parameters) {
      String name = parameter.path("name").asString();
      for (Map.Entry<String, String> wrong : wrongParameter(parameter).entrySet()) {
        Map<String, String> changed = new LinkedHashMap<>(values);
        if (wrong.getValue() == null) {
          changed.remove(name);
        } else {
          changed.put(name, wrong.getValue());
        }
        cases.add(
            valid
                .with(changed, body == null ? null : body.toString())
                .named(service, name + ": " + wrong.getKey()));
      }
    }
    if (hasBody) {
      for (Map.Entry<String, JsonNode> wrong : wrongFields(bodySchema, body, "").entrySet()) {
        cases.add(valid.with(values, wrong.getValue().toString()).named(service, wrong.getKey()));
      }
      String text = body.toString();
      String firstField = body.propertyNames().stream().findFirst().orElse("x");
      Map<String, String> whole = new LinkedHashMap<>();
      whole.put("a key twice", text.replaceFirst("\\{", "{\"" + firstField + "\":null,"));
      whole.put("data after the document", text + " garbage");
      whole.put("a second document", text + text);
      whole.put("an array, not an object", "[" + text + "]");
      whole.put("not JSON", "{" + firstField + ": 1");
      whole.put("an empty body", "");
      whole.put("an unknown field", text.replaceFirst("\\{", "{\"zzUnknown\":1,"));
      whole.put("too large", "{\"" + firstField + "\":\"" + TOO_LARGE + "\"}");
      whole.forEach((what, wrong) -> cases.add(valid.with(values, wrong).named(service, what)));
      cases.add(valid.with(values, text).as("text/plain").named(service, "a text/plain body"));
    }
    return cases;
  }

  /** A request being built: its operation, parameter values and body. */
  private record Request(
      String template,
      String method,
      List<JsonNode> parameters,
      Map<String, String> values,
      JsonNode body) {

    Draft with(Map<String, String> changed, String text) {
      return new Draft(this, changed, text, "application/json");
    }
  }

  private record Draft(Request request, Map<String, String> values, String body, String type) {

    Draft as(String contentType) {
      return new Draft(request, values, body, contentType);
    }

    Case named(String service, String what) {
      String path = request.template();
      StringBuilder query = new StringBuilder();
      Map<String, String> headers = new LinkedHashMap<>();
      for (JsonNode parameter : request.parameters()) {
        String name = parameter.path("name").asString();
        String value = values.get(name);
        if (value == null) {
          continue;
        }
        switch (parameter.path("in").asString()) {
          case "path":
            path = path.replace("{" + name + "}", encoded(value).replace("+", "%20"));
            break;
          case "query":
            query.append(query.length() == 0 ? '?' : '&');
            query.append(encoded(name)).append('=').append(encoded(value));
            break;
          case "header":
            headers.put(name, value);
            break;
          default:
            break;
        }
      }
      return new Case(
          service, request.method(), path + query, headers, body == null ? null : type, body, what);
    }
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** The ways a parameter can be wrong, by what the document says of it; null removes it. */
  private Map<String, String> wrongParameter(JsonNode parameter) {
    JsonNode schema = resolved(parameter.path("schema"));
    Map<String, String> wrong = new LinkedHashMap<>();
    String in = parameter.path("in").asString();
    if (parameter.path("required").asBoolean() && !in.equals("path")) {
      wrong.put("missing", null);
    }
    if (!in.equals("header")) {
      wrong.put("a control character", "a\u0000b");
      wrong.put("a lone surrogate", "a\ud800b");
    }
    String type = type(schema);
    if (type.equals("integer") || type.equals("number")) {
      wrong.put("not a number", "ten");
    }
    if (schema.has("pattern")) {
      wrong.put("off its pattern", "not an id!");
      wrong.put("too long for its pattern", "a".repeat(5_000));
    }
    if (schema.has("maxLength") && schema.path("maxLength").asLong() < 4_000) {
      wrong.put("too long", "a".repeat(schema.path("maxLength").asInt() + 1));
    }
    if (schema.has("enum")) {
      wrong.put("not one of its values", "NONE_OF_THEM");
    }
    return wrong;
  }

  /** The ways the body's fields can be wrong, each a whole body with one field changed. */
  private Map<String, JsonNode> wrongFields(JsonNode schema, JsonNode valid, String prefix) {
    Map<String, JsonNode> wrong = new LinkedHashMap<>();
    JsonNode object = resolved(schema);
    List<String> required = new ArrayList<>();
    object.path("required").forEach(name -> required.add(name.asString()));
    for (Map.Entry<String, JsonNode> property : object.path("properties").properties()) {
      String name = property.getKey();
      JsonNode field = resolved(property.getValue());
      for (Map.Entry<String, JsonNode> value : wrongValues(field).entrySet()) {
        ObjectNode changed = (ObjectNode) valid.deepCopy();
        changed.set(name, value.getValue());
        wrong.put(prefix + name + ": " + value.getKey(), changed);
      }
      if (required.contains(name)) {
        ObjectNode missing = (ObjectNode) valid.deepCopy();
        missing.remove(name);
        wrong.put(prefix + name + ": missing", missing);
        ObjectNode nulled = (ObjectNode) valid.deepCopy();
        nulled.putNull(name);
        wrong.put(prefix + name + ": null", nulled);
      }
      if (type(field).equals("object") && valid.path(name).isObject()) {
        for (Map.Entry<String, JsonNode> inner :
            wrongFields(field, valid.path(name), prefix + name + ".").entrySet()) {
          ObjectNode changed = (ObjectNode) valid.deepCopy();
          changed.set(name, inner.getValue());
          wrong.put(inner.getKey(), changed);
        }
      }
    }
    return wrong;
  }

  /** Values the document says a field may not take. */
  private Map<String, JsonNode> wrongValues(JsonNode field) {
    Map<String, JsonNode> wrong = new LinkedHashMap<>();
    String type = type(field);
    switch (type) {
      case "string":
        wrong.put("a number", NODES.numberNode(42));
        wrong.put("an object", NODES.objectNode());
        wrong.put("a control character", NODES.textNode("a\u0000b"));
        wrong.put("a lone surrogate", NODES.textNode("a\ud800b"));
        if (field.has("maxLength") && field.path("maxLength").asLong() < 100_000) {
          wrong.put("too long", NODES.textNode("a".repeat(field.path("maxLength").asInt() + 1)));
        }
        if (field.has("pattern") || field.has("enum")) {
          wrong.put("off its pattern", NODES.textNode("not valid!"));
        }
        if (field.has("format")) {
          wrong.put("off its format", NODES.textNode("21/06/2031"));
        }
        break;
      case "integer":
      case "number":
        wrong.put("a string", NODES.textNode("1"));
        wrong.put("a boolean", NODES.booleanNode(true));
        wrong.put("too big for any number", NODES.numberNode(new java.math.BigDecimal("1e400")));
        wrong.put(
            "too big for a long",
            NODES.numberNode(new java.math.BigInteger("99999999999999999999")));
        if (type.equals("integer")) {
          wrong.put("a fraction", NODES.numberNode(1.5));
        }
        if (field.has("maximum")) {
          wrong.put("past its maximum", NODES.numberNode(field.path("maximum").asLong() + 1));
        }
        if (field.has("minimum")) {
          wrong.put("under its minimum", NODES.numberNode(field.path("minimum").asLong() - 1));
        }
        break;
      case "boolean":
        wrong.put("a string", NODES.textNode("true"));
        break;
      case "array":
        wrong.put("a string", NODES.textNode("x"));
        ArrayNode wrongItems = NODES.arrayNode();
        wrongItems.add(NODES.objectNode());
        wrong.put("an item of the wrong type", wrongItems);
        if (field.has("maxItems")) {
          ArrayNode many = NODES.arrayNode();
          JsonNode item = valid(field.path("items"));
          for (int i = 0; i <= field.path("maxItems").asInt(); i++) {
            many.add(item);
          }
          wrong.put("too many items", many);
        }
        break;
      case "object":
        wrong.put("an array", NODES.arrayNode());
        wrong.put("a string", NODES.textNode("x"));
        break;
      default:
        break;
    }
    return wrong;
  }

  /** A value the document says is valid. */
  private JsonNode valid(JsonNode schema) {
    JsonNode resolved = resolved(schema);
    if (resolved.has("enum")) {
      return resolved.path("enum").path(0);
    }
    switch (type(resolved)) {
      case "object":
        ObjectNode object = NODES.objectNode();
        for (Map.Entry<String, JsonNode> property : resolved.path("properties").properties()) {
          object.set(property.getKey(), valid(property.getValue()));
        }
        return object;
      case "array":
        ArrayNode array = NODES.arrayNode();
        array.add(valid(resolved.path("items")));
        return array;
      case "integer":
      case "number":
        return NODES.numberNode(resolved.has("minimum") ? resolved.path("minimum").asLong() : 1);
      case "boolean":
        return NODES.booleanNode(true);
      default:
        return NODES.textNode(validText(resolved));
    }
  }

  private static String validText(JsonNode schema) {
    String pattern = schema.path("pattern").asString("");
    if ("date-time".equals(schema.path("format").asString())) {
      return "2031-06-21T20:00:00";
    }
    if (pattern.equals("[A-Z]{3}") || pattern.equals("[A-Za-z]{3}")) {
      return "EUR";
    }
    if (pattern.equals("[A-Za-z]{2}")) {
      return "FR";
    }
    if (pattern.contains("en|fr")) {
      return "en";
    }
    return "fuzz-1";
  }

  private static String text(JsonNode value) {
    return value.isString() ? value.asString() : value.toString();
  }

  private JsonNode resolved(JsonNode schema) {
    JsonNode current = schema;
    for (int depth = 0; depth < 10 && current.has("$ref"); depth++) {
      String name = current.path("$ref").asString().replace("#/components/schemas/", "");
      current = document.path("components").path("schemas").path(name);
    }
    return current;
  }

  private static String type(JsonNode schema) {
    JsonNode type = schema.path("type");
    if (type.isArray()) {
      for (JsonNode each : type) {
        if (!each.asString().equals("null")) {
          return each.asString();
        }
      }
    }
    if (type.isString()) {
      return type.asString();
    }
    return schema.has("properties") ? "object" : "";
  }
}
