package io.guichet.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.server.PathContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Guichet's one OpenAPI document: each service's own (generated from its code), with the paths the
 * gateway routes to that service, merged. A schema two services name alike but define differently
 * is renamed after its service ({@code BookingLinks}), and the references to it follow.
 */
final class ApiDocument {

  private static final JsonMapper JSON = JsonMapper.shared();

  private ApiDocument() {}

  /**
   * @param documents each service's document, by service name
   * @param missing the services whose document could not be read
   */
  static ObjectNode merge(Map<String, JsonNode> documents, List<String> missing) {
    ObjectNode merged = JSON.createObjectNode();
    merged.put("openapi", "3.1.0");
    ObjectNode info = merged.putObject("info");
    info.put("title", "Guichet API");
    info.put("version", "1");
    info.put(
        "description",
        "Every operation the gateway routes, from each service's own document. Errors are RFC 9457"
            + " problem+json answers."
            + (missing.isEmpty() ? "" : " Not reachable now: " + String.join(", ", missing) + "."));
    merged.putArray("servers").addObject().put("url", "/");
    merged.putArray("security").addObject().putArray("bearer");
    ArrayNode tags = merged.putArray("tags");
    ObjectNode paths = merged.putObject("paths");
    ObjectNode components = merged.putObject("components");
    ObjectNode schemas = components.putObject("schemas");
    ObjectNode securitySchemes = components.putObject("securitySchemes");
    for (Map.Entry<String, JsonNode> entry : new TreeMap<>(documents).entrySet()) {
      String service = entry.getKey();
      JsonNode document = entry.getValue().deepCopy();
      Map<String, String> renamed = new HashMap<>();
      document
          .path("components")
          .path("schemas")
          .properties()
          .forEach(
              schema -> {
                JsonNode known = schemas.get(schema.getKey());
                if (known != null && !known.equals(schema.getValue())) {
                  renamed.put(schema.getKey(), capitalized(service) + schema.getKey());
                }
              });
      if (!renamed.isEmpty()) {
        document = references(document, renamed);
      }
      document
          .path("components")
          .path("schemas")
          .properties()
          .forEach(schema -> schemas.set(schema.getKey(), schema.getValue()));
      document
          .path("components")
          .path("securitySchemes")
          .properties()
          .forEach(scheme -> securitySchemes.set(scheme.getKey(), scheme.getValue()));
      boolean routed = false;
      for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
        if (Routes.GUICHET
            .serviceFor(PathContainer.parsePath(path.getKey()))
            .filter(service::equals)
            .isPresent()) {
          ObjectNode item =
              paths.has(path.getKey())
                  ? (ObjectNode) paths.get(path.getKey())
                  : paths.putObject(path.getKey());
          path.getValue()
              .properties()
              .forEach(method -> item.set(method.getKey(), method.getValue()));
          routed = true;
        }
      }
      if (routed) {
        tags.addObject()
            .put("name", service)
            .put("description", "Served by the " + service + " service.");
      }
    }
    return merged;
  }

  /** The document with its {@code $ref}s to renamed schemas, and the schemas, renamed. */
  private static JsonNode references(JsonNode document, Map<String, String> renamed) {
    List<JsonNode> pending = new ArrayList<>(List.of(document));
    while (!pending.isEmpty()) {
      JsonNode node = pending.remove(pending.size() - 1);
      if (node instanceof ObjectNode object) {
        JsonNode ref = object.get("$ref");
        if (ref != null && ref.isString()) {
          String name = ref.asString().replace("#/components/schemas/", "");
          if (renamed.containsKey(name)) {
            object.put("$ref", "#/components/schemas/" + renamed.get(name));
          }
        }
      }
      node.forEach(pending::add);
    }
    ObjectNode schemas = (ObjectNode) document.path("components").path("schemas");
    renamed.forEach((from, to) -> schemas.set(to, schemas.remove(from)));
    return document;
  }

  private static String capitalized(String service) {
    return Character.toUpperCase(service.charAt(0)) + service.substring(1);
  }
}
