package io.guichet.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void reads_the_big_endian_schema_id_after_the_magic_byte() {
    byte[] record = {0, 0, 0, 1, 2, 42};

    assertThat(WireFormat.schemaId("t", record)).isEqualTo(258);
  }

  @Test
  void refuses_bytes_without_the_magic_byte() {
    assertThatThrownBy(() -> WireFormat.schemaId("orders", new byte[] {'{', '"', 'a', '"', ':'}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("orders")
        .hasMessageContaining("0x7b");
  }

  @Test
  void refuses_records_shorter_than_the_header() {
    assertThatThrownBy(() -> WireFormat.schemaId("orders", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("too short");
  }
}
