package io.guichet.registry.domain;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Parsing of schema text sent by clients. */
public final class Schemas {

  private Schemas() {}

  /** Parses Avro schema text, or fails with 42201 saying why. */
  public static Schema parse(String text) {
    if (text == null || text.isBlank()) {
      throw RegistryError.invalidSchema("the schema is empty");
    }
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException | IllegalArgumentException e) {
      throw RegistryError.invalidSchema(e.getMessage());
    } catch (RuntimeException e) {
      // Jackson's parse errors for text that is not JSON at all arrive wrapped in other types.
      throw RegistryError.invalidSchema("not a valid Avro schema: " + e.getMessage());
    }
  }
}
