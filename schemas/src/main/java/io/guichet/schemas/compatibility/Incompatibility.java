package io.guichet.schemas.compatibility;

/**
 * One reason a new schema cannot replace an earlier one.
 *
 * @param schema full name of the record checked
 * @param againstVersion the earlier version it breaks (1-based position among earlier versions)
 * @param direction who could not read whom: {@code new reads old} or {@code old reads new}
 * @param field dotted path of the field concerned, e.g. {@code venue.capacity}, or the location
 *     when no field is concerned
 * @param type Avro's name for the kind of incompatibility, e.g. {@code
 *     READER_FIELD_MISSING_DEFAULT}
 * @param detail Avro's explanation
 */
public record Incompatibility(
    String schema, int againstVersion, String direction, String field, String type, String detail) {

  /** One line for a build log or a registry answer. */
  public String describe() {
    return "%s: field '%s' is incompatible with version %d (%s): %s, %s"
        .formatted(schema, field, againstVersion, direction, type, detail);
  }
}
