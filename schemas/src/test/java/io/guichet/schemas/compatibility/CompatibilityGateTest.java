package io.guichet.schemas.compatibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatibilityGateTest {

  private static final String V1 =
      """
      {"type":"record","name":"SeatsHeld","namespace":"test.booking","fields":[
        {"name":"id","type":"string"},
        {"name":"seats","type":"int"}]}
      """;

  @TempDir Path sources;
  @TempDir Path history;
  private CompatibilityGate gate;

  @BeforeEach
  void keep_version_one() throws IOException {
    gate = new CompatibilityGate(sources, history);
    write(V1);
    assertThat(gate.record()).hasSize(1);
    assertThat(gate.check().passed()).isTrue();
    assertThat(gate.check().notes()).isEmpty();
  }

  @Test
  void passes_a_new_optional_field_with_a_default() throws IOException {
    write(
        """
        {"type":"record","name":"SeatsHeld","namespace":"test.booking","fields":[
          {"name":"id","type":"string"},
          {"name":"seats","type":"int"},
          {"name":"note","type":["null","string"],"default":null}]}
        """);

    CompatibilityGate.Report report = gate.check();

    assertThat(report.passed()).isTrue();
    assertThat(report.notes())
        .containsExactly(
            "test.booking.SeatsHeld changed since v1; record it as v2 before it is released.");
  }

  @Test
  void fails_a_new_field_without_default_naming_schema_and_field() throws IOException {
    write(
        """
        {"type":"record","name":"SeatsHeld","namespace":"test.booking","fields":[
          {"name":"id","type":"string"},
          {"name":"seats","type":"int"},
          {"name":"amountMinor","type":"long"}]}
        """);

    CompatibilityGate.Report report = gate.check();

    assertThat(report.passed()).isFalse();
    assertThat(report.failures())
        .singleElement()
        .asString()
        .contains(
            "test.booking.SeatsHeld",
            "field 'amountMinor'",
            "version 1",
            "READER_FIELD_MISSING_DEFAULT");
  }

  @Test
  void fails_a_type_change_that_old_data_cannot_be_read_with() throws IOException {
    write(
        """
        {"type":"record","name":"SeatsHeld","namespace":"test.booking","fields":[
          {"name":"id","type":"string"},
          {"name":"seats","type":"string"}]}
        """);

    assertThat(gate.check().failures())
        .singleElement()
        .asString()
        .contains("test.booking.SeatsHeld", "field 'seats'", "TYPE_MISMATCH");
  }

  @Test
  void checks_against_every_recorded_version_not_only_the_latest() throws IOException {
    write(
        """
        {"type":"record","name":"SeatsHeld","namespace":"test.booking","fields":[
          {"name":"id","type":"string"},
          {"name":"seats","type":"int"},
          {"name":"currency","type":"string","default":"EUR"}]}
        """);
    assertThat(gate.record()).hasSize(1);
    // Dropping the default is fine against v2 (which has the field) but not against v1.
    write(
        """
        {"type":"record","name":"SeatsHeld","namespace":"test.booking","fields":[
          {"name":"id","type":"string"},
          {"name":"seats","type":"int"},
          {"name":"currency","type":"string"}]}
        """);

    assertThat(gate.check().failures())
        .singleElement()
        .asString()
        .contains("field 'currency'", "version 1");
  }

  @Test
  void fails_when_a_recorded_schema_disappears() throws IOException {
    Files.delete(sources.resolve("SeatsHeld.avsc"));

    assertThat(gate.check().failures())
        .singleElement()
        .asString()
        .contains("schema removed: test.booking.SeatsHeld");
  }

  @Test
  void refuses_to_record_an_incompatible_change() throws IOException {
    write(V1.replace("\"int\"", "\"string\""));

    assertThatThrownBy(gate::record).hasMessageContaining("field 'seats'");
    assertThat(new SchemaHistory(history).versions("test.booking.SeatsHeld")).hasSize(1);
  }

  @Test
  void the_build_entry_point_fails_on_an_incompatible_change() throws IOException {
    write(V1.replace("\"int\"", "\"boolean\""));

    assertThatThrownBy(
            () ->
                CompatibilityGate.main(
                    new String[] {"check", sources.toString(), history.toString()}))
        .hasMessageContaining("BACKWARD_TRANSITIVE")
        .hasMessageContaining("test.booking.SeatsHeld")
        .hasMessageContaining("field 'seats'");
  }

  private void write(String schema) throws IOException {
    Files.writeString(sources.resolve("SeatsHeld.avsc"), schema);
  }
}
