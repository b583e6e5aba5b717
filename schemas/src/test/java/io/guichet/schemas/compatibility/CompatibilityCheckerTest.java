package io.guichet.schemas.compatibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {

  private static final Schema V1 = record("{\"name\":\"seats\",\"type\":\"int\"}");
  private static final Schema WITH_REQUIRED_NOTE =
      record("{\"name\":\"seats\",\"type\":\"int\"},{\"name\":\"note\",\"type\":\"string\"}");
  private static final Schema WITHOUT_SEATS = record("");

  @Test
  void backward_refuses_a_field_without_default_that_old_data_lacks() {
    assertThat(
            CompatibilityChecker.check(
                WITH_REQUIRED_NOTE, List.of(V1), CompatibilityLevel.BACKWARD))
        .singleElement()
        .satisfies(problem -> assertThat(problem.field()).isEqualTo("note"));
  }

  @Test
  void forward_accepts_what_backward_refuses_and_the_other_way_round() {
    assertThat(
            CompatibilityChecker.check(WITH_REQUIRED_NOTE, List.of(V1), CompatibilityLevel.FORWARD))
        .isEmpty();
    assertThat(CompatibilityChecker.check(WITHOUT_SEATS, List.of(V1), CompatibilityLevel.BACKWARD))
        .isEmpty();
    assertThat(CompatibilityChecker.check(WITHOUT_SEATS, List.of(V1), CompatibilityLevel.FORWARD))
        .singleElement()
        .satisfies(problem -> assertThat(problem.direction()).isEqualTo("old reads new"));
  }

  @Test
  void full_needs_both_directions() {
    assertThat(CompatibilityChecker.check(WITHOUT_SEATS, List.of(V1), CompatibilityLevel.FULL))
        .hasSize(1);
    assertThat(CompatibilityChecker.check(WITH_REQUIRED_NOTE, List.of(V1), CompatibilityLevel.FULL))
        .hasSize(1);
  }

  @Test
  void non_transitive_levels_look_only_at_the_latest_version() {
    Schema seatsAsString = record("{\"name\":\"seats\",\"type\":\"string\"}");
    List<Schema> history = List.of(V1, seatsAsString);

    assertThat(CompatibilityChecker.check(seatsAsString, history, CompatibilityLevel.BACKWARD))
        .isEmpty();
    assertThat(
            CompatibilityChecker.check(
                seatsAsString, history, CompatibilityLevel.BACKWARD_TRANSITIVE))
        .singleElement()
        .satisfies(problem -> assertThat(problem.againstVersion()).isEqualTo(1));
  }

  @Test
  void none_accepts_anything() {
    assertThat(CompatibilityChecker.check(WITH_REQUIRED_NOTE, List.of(V1), CompatibilityLevel.NONE))
        .isEmpty();
  }

  @Test
  void names_nested_fields_by_their_path() {
    Schema old =
        record(
            "{\"name\":\"venue\",\"type\":{\"type\":\"record\",\"name\":\"Venue\",\"fields\":[]}}");
    Schema changed =
        record(
            "{\"name\":\"venue\",\"type\":{\"type\":\"record\",\"name\":\"Venue\",\"fields\":["
                + "{\"name\":\"capacity\",\"type\":\"int\"}]}}");

    assertThat(CompatibilityChecker.check(changed, List.of(old), CompatibilityLevel.BACKWARD))
        .singleElement()
        .satisfies(problem -> assertThat(problem.field()).isEqualTo("venue.capacity"));
  }

  @Test
  void parses_level_names_as_the_registry_api_spells_them() {
    assertThat(CompatibilityLevel.parse("backward_transitive"))
        .contains(CompatibilityLevel.BACKWARD_TRANSITIVE);
    assertThat(CompatibilityLevel.parse("SIDEWAYS")).isEmpty();
    assertThat(CompatibilityLevel.parse(null)).isEmpty();
  }

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":[" + fields + "]}");
  }
}
