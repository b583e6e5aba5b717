package io.guichet.registry.adapter.in.web;

import io.guichet.registry.domain.RegistryError;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads request bodies whatever their declared content type (Confluent clients send {@code
 * application/vnd.schemaregistry.v1+json}, curl users {@code application/json} or nothing).
 *
 * <p>The registry's controllers take their bodies as text on purpose, not as typed records with
 * Bean Validation as Guichet's own API does: this is Confluent's API, whose clients expect its
 * answers to a bad body ({@code {"error_code": ..., "message": ...}} with Confluent's codes, not
 * problem+json) and send content types (none, form-encoded from a bare curl) that a typed body
 * would refuse with a 415 before any check.
 */
final class RequestBodies {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestBodies() {}

  /** The body as a JSON object, or 400 when it is not one. */
  static JsonNode object(String body) {
    if (body == null || body.isBlank()) {
      throw new RegistryError(400, "The request body is empty; expected a JSON object");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new RegistryError(400, "The request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new RegistryError(400, "The request body must be a JSON object");
    }
    return node;
  }

  /** A text field of the body, or null when absent. */
  static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new RegistryError(422, "Field '" + field + "' must be a string");
    }
    return value.asString();
  }

  /** Version path segment: a number from 1, or "latest" (also -1), as -1. */
  static int version(String version) {
    if ("latest".equalsIgnoreCase(version) || "-1".equals(version)) {
      return -1;
    }
    try {
      int parsed = Integer.parseInt(version);
      if (parsed >= 1) {
        return parsed;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw RegistryError.invalidVersion(version);
  }

  /** Schema id path segment. */
  static int id(String id) {
    try {
      return Integer.parseInt(id);
    } catch (NumberFormatException e) {
      throw new RegistryError(40403, "Schema " + id + " not found");
    }
  }
}
