package io.guichet.platform.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** The Confluent wire format: magic byte 0, 4-byte big-endian schema id, then Avro binary. */
public final class WireFormat {

  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_LENGTH = 5;

  private WireFormat() {}

  /** Writes the header into the start of a buffer of at least 5 bytes. */
  static void writeHeader(ByteBuffer buffer, int schemaId) {
    buffer.put(MAGIC_BYTE).putInt(schemaId);
  }

  /** The schema id of a serialized record, after checking its header. */
  public static int schemaId(String topic, byte[] data) {
    if (data.length < HEADER_LENGTH) {
      throw new SerializationException(
          "record on "
              + topic
              + " has "
              + data.length
              + " bytes: too short for the Confluent wire format (5-byte header)");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new SerializationException(
          "record on %s starts with byte 0x%02x, not the magic byte 0: it was not written in the Confluent wire format"
              .formatted(topic, data[0]));
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
