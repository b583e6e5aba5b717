package io.guichet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonFieldsTest {

  enum Kind {
    CONCERT,
    MATCH
  }

  @Test
  void names_every_bad_field_with_its_path() {
    JsonFields fields =
        JsonFields.parse(
            "{\"title\":\"  \",\"kind\":\"opera\",\"venue\":{\"capacity\":\"many\"},"
                + "\"quantity\":1.5,\"extra\":true}");
    fields.only("title", "kind", "venue", "quantity");
    fields.text("title", 10);
    fields.oneOf("kind", Kind.class);
    JsonFields venue = fields.object("venue");
    venue.integer("capacity", 1, 100);
    venue.text("name", 10);
    fields.integer("quantity", 1, 10);

    assertThat(fields.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "extra", "title", "kind", "venue.capacity", "venue.name", "quantity");
  }

  @Test
  void reads_good_values_and_records_no_error() {
    JsonFields fields = JsonFields.parse("{\"id\":\"e-1\",\"kind\":\"match\",\"n\":3}");

    assertThat(fields.id("id")).isEqualTo("e-1");
    assertThat(fields.oneOf("kind", Kind.class)).isEqualTo(Kind.MATCH);
    assertThat(fields.integer("n", 1, 3)).isEqualTo(3);
    assertThat(fields.errors()).isEmpty();
  }

  @Test
  void refuses_ranges_and_says_the_bound() {
    JsonFields fields = JsonFields.parse("{\"low\":0,\"high\":11}");

    fields.integer("low", 1, 10);
    fields.integer("high", 1, 10);

    assertThat(fields.errors())
        .extracting(FieldError::message)
        .containsExactly("must be at least 1", "must be at most 10");
  }

  @Test
  void a_body_that_is_not_a_json_object_is_malformed() {
    for (String body : new String[] {"", "{\"a\":", "[1]", "42"}) {
      assertThatThrownBy(() -> JsonFields.parse(body))
          .as(body)
          .isInstanceOf(JsonFields.MalformedJson.class);
    }
  }
}
