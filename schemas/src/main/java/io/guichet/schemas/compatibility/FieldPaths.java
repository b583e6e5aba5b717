package io.guichet.schemas.compatibility;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/** Turns Avro's JSON-pointer locations ({@code /fields/3/type/fields/0}) into field names. */
final class FieldPaths {

  private FieldPaths() {}

  /**
   * The dotted field path a location points at, e.g. {@code venue.capacity}; the location itself
   * when it does not point into a field.
   */
  static String describe(Schema schema, String location) {
    List<String> names = new ArrayList<>();
    Schema current = schema;
    String[] steps = location == null ? new String[0] : location.split("/");
    for (int i = 0; i < steps.length; i++) {
      if (!"fields".equals(steps[i]) || i + 1 >= steps.length) {
        continue;
      }
      Schema record = recordIn(current);
      if (record == null) {
        break;
      }
      int index;
      try {
        index = Integer.parseInt(steps[++i]);
      } catch (NumberFormatException notAnIndex) {
        break;
      }
      if (index < 0 || index >= record.getFields().size()) {
        break;
      }
      Schema.Field field = record.getFields().get(index);
      names.add(field.name());
      current = field.schema();
    }
    return names.isEmpty()
        ? (location == null || location.isEmpty() ? "/" : location)
        : String.join(".", names);
  }

  private static Schema recordIn(Schema schema) {
    return switch (schema.getType()) {
      case RECORD -> schema;
      case UNION ->
          schema.getTypes().stream()
              .filter(branch -> branch.getType() == Schema.Type.RECORD)
              .findFirst()
              .orElse(null);
      case ARRAY -> recordIn(schema.getElementType());
      case MAP -> recordIn(schema.getValueType());
      default -> null;
    };
  }
}
