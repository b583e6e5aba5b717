package io.guichet.registry.adapter.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guichet.registry.domain.SchemaLogRecord;
import io.guichet.registry.domain.SchemaVersion;
import io.guichet.schemas.compatibility.CompatibilityLevel;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class SchemaLogCodecTest {

  @Test
  void records_read_back_as_written_in_confluents_layout() {
    SchemaLogRecord registered =
        new SchemaLogRecord.SchemaRegistered(
            new SchemaVersion("booking.reservations-value", 3, 42, "{\"type\":\"string\"}"));
    SchemaLogRecord config =
        new SchemaLogRecord.CompatibilitySet("booking.reservations-value", CompatibilityLevel.FULL);

    for (SchemaLogRecord record : new SchemaLogRecord[] {registered, config}) {
      assertThat(SchemaLogCodec.decode(SchemaLogCodec.key(record), SchemaLogCodec.value(record)))
          .contains(record);
    }
    assertThat(SchemaLogCodec.key(registered))
        .isEqualTo(
            "{\"keytype\":\"SCHEMA\",\"subject\":\"booking.reservations-value\",\"version\":3,"
                + "\"magic\":1}");
  }

  @Test
  void records_this_registry_does_not_use_are_skipped() {
    assertThat(SchemaLogCodec.decode("{\"keytype\":\"NOOP\"}", "{}")).isEmpty();
    assertThat(
            SchemaLogCodec.decode(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1}",
                "{\"subject\":\"s\",\"deleted\":true}"))
        .isEmpty();
    assertThat(SchemaLogCodec.decode("{\"keytype\":\"SCHEMA\"}", null)).isEmpty();
  }

  @Test
  void an_unreadable_record_is_a_jackson_exception_which_the_replay_skips() {
    // KafkaSchemaLog's replay logs and skips exactly this exception type.
    assertThatThrownBy(() -> SchemaLogCodec.decode("{\"keytype\":", "{}"))
        .isInstanceOf(JacksonException.class);
    assertThatThrownBy(() -> SchemaLogCodec.decode("{\"keytype\":\"SCHEMA\"}", "not json"))
        .isInstanceOf(JacksonException.class);
  }
}
