package io.guichet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.events.booking.SeatsHeld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void every_schema_in_the_repository_travels_on_exactly_one_topic() throws IOException {
    List<String> declared =
        Topics.ALL.stream()
            .flatMap(topic -> topic.valueSchemas().stream())
            .map(Schema::getFullName)
            .toList();
    List<String> files;
    try (Stream<Path> avsc = Files.walk(Path.of("src/main/avro"))) {
      files =
          avsc.filter(file -> file.toString().endsWith(".avsc"))
              .map(file -> parse(file).getFullName())
              .toList();
    }

    assertThat(declared).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void topic_names_are_context_dot_stream_in_lower_case_and_unique() {
    assertThat(Topics.ALL)
        .extracting(TopicSpec::name)
        .doesNotHaveDuplicates()
        .allMatch(name -> name.matches("[a-z]+\\.[a-z-]+"));
  }

  @Test
  void every_event_carries_an_id_an_occurrence_time_and_the_key_of_its_topic() {
    for (TopicSpec topic : Topics.ALL) {
      for (Schema schema : topic.valueSchemas()) {
        assertThat(schema.getField("id")).as(schema.getFullName() + ".id").isNotNull();
        assertThat(schema.getField("occurredAt").schema().getLogicalType().getName())
            .isEqualTo("timestamp-millis");
        assertThat(schema.getField(topic.key()))
            .as(schema.getFullName() + " key " + topic.key())
            .isNotNull();
      }
    }
  }

  @Test
  void finds_the_topic_of_an_event_and_derives_its_configuration() {
    assertThat(Topics.carrying(SeatsHeld.class)).isEqualTo(Topics.RESERVATIONS);
    assertThat(Topics.SIGNING_KEYS.configs()).containsEntry("cleanup.policy", "compact");
    assertThat(Topics.RESERVATIONS.configs()).containsEntry("retention.ms", "-1");
    assertThat(Topics.named("booking.reservations")).contains(Topics.RESERVATIONS);
    assertThat(Topics.RESERVATIONS.deadLetterTopic()).isEqualTo("booking.reservations.dlt");
  }

  private static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
