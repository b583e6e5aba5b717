package io.guichet.platform.serde;

import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.platform.registry.SchemaRegistryClient;
import java.util.Map;

/** The serde's configuration keys, spelled as Confluent's serde spells them. */
public final class AvroSerdeConfig {

  /** Base URL(s) of the registry, comma-separated. Required. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Register a schema the registry does not know yet (default true); false only looks it up. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /** Subject naming for values (default topic-record). */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /** Subject naming for keys (default topic-record). */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  /** Decode into the generated classes when they are on the classpath (default true). */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  /** Lets a caller hand over an existing client instead of a URL (not a Confluent key). */
  public static final String REGISTRY_CLIENT_INSTANCE = "guichet.schema.registry.client";

  private AvroSerdeConfig() {}

  static SchemaRegistryClient client(Map<String, ?> configs) {
    Object instance = configs.get(REGISTRY_CLIENT_INSTANCE);
    if (instance instanceof SchemaRegistryClient client) {
      return client;
    }
    Object url = configs.get(SCHEMA_REGISTRY_URL);
    if (url == null) {
      throw new IllegalArgumentException(
          SCHEMA_REGISTRY_URL + " must be configured for the Avro serde");
    }
    return new HttpSchemaRegistryClient(url.toString());
  }

  static boolean flag(Map<String, ?> configs, String key, boolean defaultValue) {
    Object value = configs.get(key);
    return value == null ? defaultValue : Boolean.parseBoolean(value.toString());
  }

  static SubjectNameStrategy strategy(Map<String, ?> configs, boolean isKey) {
    Object value = configs.get(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY);
    return value == null
        ? SubjectNameStrategy.TOPIC_RECORD
        : SubjectNameStrategy.parse(value.toString());
  }
}
