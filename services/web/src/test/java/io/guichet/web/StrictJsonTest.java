package io.guichet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.databind.json.JsonMapper;

class StrictJsonTest {

  record Venue(String name, Integer capacity) {}

  record Event(
      String title, Integer seats, Venue venue, List<String> tags, ZoneId zone, LocalDateTime at) {}

  private static final JsonMapper JSON = strictMapper();

  private static JsonMapper strictMapper() {
    JsonMapper.Builder builder = JsonMapper.builder();
    StrictJson.strict(builder);
    return builder.build();
  }

  /** The problem a body gets, as the web layer answers it. */
  private static ProblemDetail problem(String body) {
    Throwable error = catchThrowable(() -> JSON.readValue(body, Event.class));
    assertThat(error).as(body).isNotNull();
    return ErrorProblems.of(
            new ServerWebInputException("x", null, new DecodingException("x", error)))
        .getBody();
  }

  @SuppressWarnings("unchecked")
  private static List<String> fields(ProblemDetail problem) {
    Object errors = problem.getProperties() == null ? null : problem.getProperties().get("errors");
    return errors == null
        ? List.of()
        : ((List<Map<String, String>>) errors).stream().map(e -> e.get("field")).toList();
  }

  @Test
  void reads_a_well_formed_body() {
    Event event =
        JSON.readValue(
            "{\"title\":\"A\\tB\",\"seats\":2,\"venue\":{\"name\":\"V\",\"capacity\":3},"
                + "\"tags\":[\"x\"],\"zone\":\"Europe/Paris\",\"at\":\"2031-06-21T20:00\"}",
            Event.class);
    assertThat(event.venue().capacity()).isEqualTo(3);
    assertThat(event.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void refuses_malformed_documents_without_naming_the_parser() {
    for (String body :
        List.of(
            "{\"title\":\"a\",\"title\":\"b\"}",
            "{\"title\":\"a\"} trailing",
            "{\"title\":\"a\"}{\"title\":\"b\"}",
            "{\"title\":",
            "[1,2]",
            "42")) {
      ProblemDetail problem = problem(body);
      assertThat(problem.getStatus()).as(body).isEqualTo(400);
      assertThat(problem.getType().toString()).as(body).isEqualTo("/problems/malformed-request");
      assertThat(problem.getDetail()).doesNotContain("jackson", "Exception", "token");
    }
  }

  @Test
  void names_the_field_that_is_wrong() {
    assertThat(fields(problem("{\"colour\":\"red\"}"))).containsExactly("colour");
    assertThat(fields(problem("{\"seats\":\"2\"}"))).containsExactly("seats");
    assertThat(fields(problem("{\"seats\":2.5}"))).containsExactly("seats");
    assertThat(fields(problem("{\"seats\":99999999999}"))).containsExactly("seats");
    assertThat(fields(problem("{\"seats\":1,\"colour\":null}"))).containsExactly("colour");
    assertThat(fields(problem("{\"title\":12}"))).containsExactly("title");
    assertThat(fields(problem("{\"title\":true}"))).containsExactly("title");
    assertThat(fields(problem("{\"title\":\"a\\u0000b\"}"))).containsExactly("title");
    assertThat(fields(problem("{\"title\":\"\\ud800\"}"))).containsExactly("title");
    assertThat(fields(problem("{\"title\":\"\\udc00x\"}"))).containsExactly("title");
    assertThat(fields(problem("{\"venue\":{\"capacity\":\"big\"}}")))
        .containsExactly("venue.capacity");
    assertThat(fields(problem("{\"venue\":\"\"}"))).containsExactly("venue");
    assertThat(fields(problem("{\"tags\":[\"ok\",\"\\u0001\"]}"))).containsExactly("tags[1]");
    assertThat(fields(problem("{\"zone\":\"Mars/Olympus\"}"))).containsExactly("zone");
    assertThat(fields(problem("{\"at\":\"21/06/2031\"}"))).containsExactly("at");
  }

  @Test
  void keeps_text_with_tabs_line_breaks_and_whole_surrogate_pairs() {
    assertThat(StrictJson.CleanText.clean("a\tb\nc\r\uD83C\uDFAB")).isTrue();
    assertThat(StrictJson.CleanText.clean("\u007f")).isFalse();
  }
}
