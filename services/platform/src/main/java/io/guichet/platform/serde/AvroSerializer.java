package io.guichet.platform.serde;

import io.guichet.platform.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records (generated or generic) in the Confluent wire format, registering their
 * schema under the configured subject name strategy.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

  private SchemaRegistryClient registry;
  private SubjectNameStrategy strategy = SubjectNameStrategy.TOPIC_RECORD;
  private boolean autoRegister = true;
  private boolean isKey;
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  public AvroSerializer() {}

  /** A ready serializer, for code that builds its clients by hand. */
  public AvroSerializer(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.registry = AvroSerdeConfig.client(configs);
    this.strategy = AvroSerdeConfig.strategy(configs, isKey);
    this.autoRegister = AvroSerdeConfig.flag(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer is not configured: no schema registry");
    }
    Schema schema = record.getSchema();
    String subject = strategy.subject(topic, isKey, schema);
    int id = autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_LENGTH);
    WireFormat.writeHeader(header, id);
    out.writeBytes(header.array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writers.computeIfAbsent(schema, s -> writerFor(s, record)).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot serialize " + schema.getFullName() + " for topic " + topic, e);
    }
    return out.toByteArray();
  }

  private static DatumWriter<Object> writerFor(Schema schema, GenericContainer sample) {
    return sample instanceof SpecificRecord
        ? new SpecificDatumWriter<>(schema)
        : new GenericDatumWriter<>(schema);
  }
}
