package io.guichet.platform.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class AsyncApiDocumentTest {

  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void the_committed_document_is_the_rendering_of_the_declared_topics() throws Exception {
    assertThat(Files.readString(ROOT.resolve(AsyncApiDocument.PATH)))
        .as("regenerate " + AsyncApiDocument.PATH + " as its description says")
        .isEqualTo(AsyncApiDocument.render(Topics.ALL));
  }

  @Test
  void every_topic_has_its_key_partitions_retention_and_every_event_its_avro_schema()
      throws Exception {
    JsonNode document = JSON.readTree(AsyncApiDocument.render(Topics.ALL));

    assertThat(document.get("asyncapi").asString()).startsWith("3.");
    assertThat(document.get("channels")).hasSize(Topics.ALL.size());
    for (TopicSpec spec : Topics.ALL) {
      JsonNode channel = document.at("/channels/" + AsyncApiDocument.id(spec.name()));
      assertThat(channel.get("address").asString()).isEqualTo(spec.name());
      assertThat(channel.at("/bindings/kafka/partitions").asInt()).isEqualTo(spec.partitions());
      assertThat(channel.at("/bindings/kafka/topicConfiguration/cleanup.policy/0").asString())
          .isEqualTo(spec.compacted() ? "compact" : "delete");
      assertThat(channel.get("description").asString())
          .contains("Key: " + spec.key(), "in the order they happened", spec.deadLetterTopic());
      assertThat(channel.get("messages")).hasSize(spec.valueTypes().size());
      for (Schema schema : spec.valueSchemas()) {
        JsonNode message = document.at("/components/messages/" + schema.getName());
        assertThat(new Schema.Parser().parse(message.at("/payload/schema").toString()))
            .as(schema.getFullName())
            .isEqualTo(schema);
        assertThat(message.at("/payload/schemaFormat").asString())
            .startsWith("application/vnd.apache.avro");
        assertThat(message.at("/bindings/kafka/key/description").asString()).isEqualTo(spec.key());
        assertThat(message.at("/bindings/kafka/schemaIdPayloadEncoding").asString())
            .isEqualTo("confluent");
        assertThat(message.get("summary").asString())
            .contains("Registry subject: " + spec.name() + "-" + schema.getFullName());
      }
    }
    assertThat(document.at("/components/messages")).hasSize(Topics.eventTypeCount());
  }

  @Test
  void channel_ids_are_camel_case_topic_names() {
    assertThat(AsyncApiDocument.id("booking.reservation-requests"))
        .isEqualTo("bookingReservationRequests");
  }
}
