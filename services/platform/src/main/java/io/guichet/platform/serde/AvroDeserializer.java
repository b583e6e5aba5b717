package io.guichet.platform.serde;

import io.guichet.platform.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format: looks the writer's schema up by the id in the header
 * and resolves it against the generated class of the same name (schema evolution), or returns a
 * generic record when no such class is on the classpath.
 *
 * <p>Unreadable bytes raise {@link SerializationException}; wrap this deserializer in Spring
 * Kafka's {@code ErrorHandlingDeserializer} so that they go to the dead-letter topic.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

  private SchemaRegistryClient registry;
  private boolean specific = true;
  private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  public AvroDeserializer() {}

  /** A ready deserializer, for code that builds its clients by hand. */
  public AvroDeserializer(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.registry = AvroSerdeConfig.client(configs);
    this.specific = AvroSerdeConfig.flag(configs, AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroDeserializer is not configured: no schema registry");
    }
    int id = WireFormat.schemaId(topic, data);
    DatumReader<Object> reader;
    try {
      reader = readers.computeIfAbsent(id, this::readerFor);
    } catch (RuntimeException e) {
      throw new SerializationException(
          "cannot find the writer schema " + id + " of a record on " + topic, e);
    }
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                data, WireFormat.HEADER_LENGTH, data.length - WireFormat.HEADER_LENGTH, null);
    try {
      return (T) reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "record on " + topic + " does not decode with schema " + id, e);
    }
  }

  private DatumReader<Object> readerFor(int id) {
    Schema writer = registry.schemaById(id);
    if (specific) {
      Class<?> generated = SpecificData.get().getClass(writer);
      if (generated != null) {
        Schema reader = SpecificData.get().getSchema(generated);
        return new SpecificDatumReader<>(writer, reader);
      }
    }
    return new GenericDatumReader<>(writer);
  }
}
