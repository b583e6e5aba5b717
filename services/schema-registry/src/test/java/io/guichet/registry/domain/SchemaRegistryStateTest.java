package io.guichet.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guichet.schemas.compatibility.CompatibilityLevel;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaRegistryStateTest {

  private static final Schema V1 = schema("{\"name\":\"seats\",\"type\":\"int\"}");
  private static final Schema V2 =
      schema(
          "{\"name\":\"seats\",\"type\":\"int\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");
  private static final Schema BREAKING = schema("{\"name\":\"seats\",\"type\":\"string\"}");

  private final SchemaRegistryState state =
      new SchemaRegistryState(CompatibilityLevel.BACKWARD_TRANSITIVE);

  @Test
  void gives_a_new_schema_version_one_and_the_next_global_id() {
    SchemaVersion first = registerAndApply("a", V1);
    SchemaVersion second = registerAndApply("a", V2);

    assertThat(first).isEqualTo(new SchemaVersion("a", 1, 1, V1.toString()));
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.id()).isEqualTo(2);
  }

  @Test
  void the_same_schema_under_another_subject_keeps_its_id_and_under_the_same_subject_its_version() {
    registerAndApply("a", V1);

    assertThat(state.register("a", V1)).isInstanceOf(Registration.AlreadyRegistered.class);
    assertThat(state.register("b", V1).version())
        .isEqualTo(new SchemaVersion("b", 1, 1, V1.toString()));
  }

  @Test
  void refuses_an_incompatible_schema_under_the_subjects_level() {
    registerAndApply("a", V1);

    assertThatThrownBy(() -> state.register("a", BREAKING))
        .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.httpStatus()).isEqualTo(409))
        .hasMessageContaining("field 'seats'");

    state.apply(new SchemaLogRecord.CompatibilitySet("a", CompatibilityLevel.NONE));
    assertThat(state.register("a", BREAKING)).isInstanceOf(Registration.NewVersion.class);
  }

  @Test
  void replaying_a_record_twice_changes_nothing() {
    SchemaLogRecord record =
        new SchemaLogRecord.SchemaRegistered(new SchemaVersion("a", 1, 5, V1.toString()));
    state.apply(record);
    state.apply(record);

    assertThat(state.versionsOf("a")).hasSize(1);
    assertThat(state.register("b", V2).version().id()).isEqualTo(6);
  }

  @Test
  void answers_confluent_codes_for_what_it_does_not_know() {
    registerAndApply("a", V1);

    assertThatThrownBy(() -> state.versionsOf("nobody")).hasMessage("Subject 'nobody' not found.");
    assertThatThrownBy(() -> state.version("a", 4)).hasMessage("Version 4 not found.");
    assertThatThrownBy(() -> state.schemaById(99)).hasMessage("Schema 99 not found");
    assertThatThrownBy(() -> state.lookUp("a", V2)).hasMessage("Schema not found");
    assertThat(state.version("a", -1).version()).isEqualTo(1);
  }

  @Test
  void a_subject_without_its_own_level_follows_the_global_one() {
    state.apply(new SchemaLogRecord.CompatibilitySet(null, CompatibilityLevel.FULL));
    state.apply(new SchemaLogRecord.CompatibilitySet("a", CompatibilityLevel.NONE));
    state.apply(new SchemaLogRecord.CompatibilitySet("a", null));

    assertThat(state.effectiveLevel("a")).isEqualTo(CompatibilityLevel.FULL);
    assertThat(state.subjectLevel("a")).isEmpty();
  }

  private SchemaVersion registerAndApply(String subject, Schema schema) {
    Registration registration = state.register(subject, schema);
    state.apply(new SchemaLogRecord.SchemaRegistered(registration.version()));
    return registration.version();
  }

  private static Schema schema(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":[" + fields + "]}");
  }
}
