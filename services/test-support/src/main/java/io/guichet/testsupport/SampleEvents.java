package io.guichet.testsupport;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds an instance of any generated event with every field set (optional ones too), so tests
 * exercise every field of every contract without writing each event by hand.
 */
public final class SampleEvents {

  private SampleEvents() {}

  /** A full instance of the event class, with random values. */
  public static <T extends SpecificRecord> T of(Class<T> type) {
    return type.cast(record(SpecificData.get().getSchema(type)));
  }

  private static Object record(Schema schema) {
    SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
    for (Schema.Field field : schema.getFields()) {
      record.put(field.pos(), value(field.name(), field.schema()));
    }
    return record;
  }

  private static Object value(String name, Schema schema) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return Instant.ofEpochMilli(1_700_000_000_000L + random.nextLong(100_000_000_000L));
    }
    return switch (schema.getType()) {
      case STRING -> name + "-" + UUID.randomUUID();
      case INT -> random.nextInt(1, 10_000);
      case LONG -> random.nextLong(1, 1_000_000_000L);
      case BOOLEAN -> random.nextBoolean();
      case DOUBLE -> random.nextDouble();
      case FLOAT -> random.nextFloat();
      case BYTES -> {
        byte[] bytes = new byte[28];
        random.nextBytes(bytes);
        yield java.nio.ByteBuffer.wrap(bytes);
      }
      case ENUM -> SpecificData.get().createEnum(schema.getEnumSymbols().get(0), schema);
      case RECORD -> record(schema);
      case ARRAY -> List.of(value(name, schema.getElementType()));
      case MAP ->
          java.util.Map.of(name + "-" + UUID.randomUUID(), value(name, schema.getValueType()));
      case UNION ->
          value(
              name,
              schema.getTypes().stream()
                  .filter(branch -> branch.getType() != Schema.Type.NULL)
                  .findFirst()
                  .orElseThrow());
      default ->
          throw new IllegalArgumentException(
              "no sample for " + schema.getType() + " field " + name);
    };
  }
}
