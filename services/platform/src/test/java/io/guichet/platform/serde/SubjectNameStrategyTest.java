package io.guichet.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guichet.events.booking.SeatsHeld;
import org.junit.jupiter.api.Test;

class SubjectNameStrategyTest {

  @Test
  void names_subjects_like_the_confluent_strategies() {
    var schema = SeatsHeld.getClassSchema();

    assertThat(SubjectNameStrategy.TOPIC_RECORD.subject("booking.reservations", false, schema))
        .isEqualTo("booking.reservations-io.guichet.events.booking.SeatsHeld");
    assertThat(SubjectNameStrategy.TOPIC.subject("booking.reservations", false, schema))
        .isEqualTo("booking.reservations-value");
    assertThat(SubjectNameStrategy.TOPIC.subject("booking.reservations", true, schema))
        .isEqualTo("booking.reservations-key");
    assertThat(SubjectNameStrategy.RECORD.subject("x", false, schema))
        .isEqualTo("io.guichet.events.booking.SeatsHeld");
  }

  @Test
  void reads_short_names_and_confluent_class_names() {
    assertThat(SubjectNameStrategy.parse("topic-record"))
        .isEqualTo(SubjectNameStrategy.TOPIC_RECORD);
    assertThat(
            SubjectNameStrategy.parse(
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"))
        .isEqualTo(SubjectNameStrategy.TOPIC_RECORD);
    assertThat(SubjectNameStrategy.parse("TopicNameStrategy")).isEqualTo(SubjectNameStrategy.TOPIC);
    assertThat(SubjectNameStrategy.parse("record")).isEqualTo(SubjectNameStrategy.RECORD);
    assertThatThrownBy(() -> SubjectNameStrategy.parse("sideways"))
        .hasMessageContaining("sideways");
  }
}
