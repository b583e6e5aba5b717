package io.guichet.registry.adapter.out.kafka;

import io.guichet.registry.domain.SchemaLogRecord;
import io.guichet.registry.domain.SchemaVersion;
import io.guichet.schemas.compatibility.CompatibilityLevel;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON keys and values of the schema log, laid out as the Confluent registry lays out its {@code
 * _schemas} topic: a SCHEMA key per subject version, a CONFIG key per subject (null for global).
 */
final class SchemaLogCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaLogCodec() {}

  static String key(SchemaLogRecord record) {
    ObjectNode key = JSON.createObjectNode();
    if (record instanceof SchemaLogRecord.SchemaRegistered registered) {
      key.put("keytype", "SCHEMA").put("subject", registered.version().subject());
      key.put("version", registered.version().version()).put("magic", 1);
    } else if (record instanceof SchemaLogRecord.CompatibilitySet set) {
      key.put("keytype", "CONFIG").put("subject", set.subject()).put("magic", 0);
    }
    return key.toString();
  }

  static String value(SchemaLogRecord record) {
    ObjectNode value = JSON.createObjectNode();
    if (record instanceof SchemaLogRecord.SchemaRegistered registered) {
      SchemaVersion version = registered.version();
      value
          .put("subject", version.subject())
          .put("version", version.version())
          .put("id", version.id());
      value.put("schema", version.schema()).put("deleted", false);
    } else if (record instanceof SchemaLogRecord.CompatibilitySet set) {
      value.put("compatibilityLevel", set.level() == null ? null : set.level().name());
    }
    return value.toString();
  }

  /**
   * The record a key and value stand for; empty for records this registry does not use.
   *
   * @throws JacksonException when the key or the value is not JSON
   */
  static Optional<SchemaLogRecord> decode(String key, String value) {
    if (key == null || value == null) {
      return Optional.empty();
    }
    JsonNode k = JSON.readTree(key);
    JsonNode v = JSON.readTree(value);
    String subject = k.path("subject").isNull() ? null : k.path("subject").asString(null);
    switch (k.path("keytype").asString()) {
      case "SCHEMA" -> {
        if (v.path("deleted").asBoolean(false)) {
          return Optional.empty();
        }
        return Optional.of(
            new SchemaLogRecord.SchemaRegistered(
                new SchemaVersion(
                    v.path("subject").asString(),
                    v.path("version").asInt(),
                    v.path("id").asInt(),
                    v.path("schema").asString())));
      }
      case "CONFIG" -> {
        JsonNode level = v.path("compatibilityLevel");
        CompatibilityLevel parsed =
            level.isString() ? CompatibilityLevel.parse(level.asString()).orElse(null) : null;
        return Optional.of(new SchemaLogRecord.CompatibilitySet(subject, parsed));
      }
      default -> {
        return Optional.empty();
      }
    }
  }
}
