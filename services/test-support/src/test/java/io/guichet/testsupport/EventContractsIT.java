package io.guichet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.SeatsHeld;
import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.serde.SubjectNameStrategy;
import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Every event contract through the real broker and registry, in the Confluent wire format. */
class EventContractsIT {

  private final TestInfrastructure infra = TestInfrastructure.get();

  @Test
  void every_event_type_round_trips_equal_through_the_broker_in_the_confluent_wire_format()
      throws Exception {
    Map<String, SpecificRecord> sent = new HashMap<>();
    try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
      for (TopicSpec topic : Topics.ALL) {
        for (Class<? extends SpecificRecord> type : topic.valueTypes()) {
          SpecificRecord event = SampleEvents.of(type);
          String key = event.get(event.getSchema().getField(topic.key()).pos()).toString();
          producer.send(new ProducerRecord<>(topic.name(), key, event)).get();
          sent.put(id(event), event);
        }
      }
    }
    assertThat(sent).hasSize(Topics.eventTypeCount()).hasSizeGreaterThanOrEqualTo(20);

    AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>(infra.registryClient());
    Map<String, SpecificRecord> received = new HashMap<>();
    try (KafkaConsumer<String, byte[]> plain = rawConsumer()) {
      plain.subscribe(Topics.ALL.stream().map(TopicSpec::name).toList());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record : plain.poll(Duration.ofMillis(200))) {
                  SpecificRecord event = deserializer.deserialize(record.topic(), record.value());
                  if (sent.containsKey(id(event))) {
                    assertWireFormat(record.topic(), record.value(), event.getSchema());
                    assertThat(record.key())
                        .isEqualTo(
                            event
                                .get(
                                    event
                                        .getSchema()
                                        .getField(Topics.named(record.topic()).orElseThrow().key())
                                        .pos())
                                .toString());
                    received.put(id(event), event);
                  }
                }
                return received.size() == sent.size();
              });
    }
    assertThat(received).isEqualTo(sent);
  }

  @Test
  void a_consumer_without_the_generated_classes_reads_generic_records() throws Exception {
    SeatsHeld held = SampleEvents.of(SeatsHeld.class);
    try (KafkaProducer<String, SeatsHeld> producer = infra.eventProducer()) {
      producer
          .send(new ProducerRecord<>(Topics.RESERVATIONS.name(), held.getReservationId(), held))
          .get();
    }
    Map<String, Object> config =
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            infra.schemaRegistryUrl(),
            AvroSerdeConfig.SPECIFIC_AVRO_READER,
            "false");
    AvroDeserializer<Object> generic = new AvroDeserializer<>();
    generic.configure(config, false);

    GenericRecord read =
        (GenericRecord) firstMatching(Topics.RESERVATIONS.name(), generic, held.getId());

    assertThat(read).isNotInstanceOf(SeatsHeld.class);
    assertThat(read.get("seats")).isEqualTo(held.getSeats());
    assertThat(read.get("reservationId").toString()).isEqualTo(held.getReservationId());
  }

  @Test
  void records_written_with_a_newer_compatible_schema_are_read_into_the_current_class()
      throws Exception {
    String topic = "it.evolution-" + UUID.randomUUID().toString().substring(0, 8);
    try (var admin = infra.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    SeatsHeld current = SampleEvents.of(SeatsHeld.class);
    Schema newer = withOptionalNote(SeatsHeld.getClassSchema());
    GenericRecord written = new GenericData.Record(newer);
    for (Schema.Field field : SeatsHeld.getClassSchema().getFields()) {
      Object value = current.get(field.pos());
      written.put(
          field.name(),
          value instanceof Enum<?> e
              ? new GenericData.EnumSymbol(field.schema(), e.name())
              : value);
    }
    written.put("occurredAt", current.getOccurredAt().toEpochMilli());
    written.put("expiresAt", current.getExpiresAt().toEpochMilli());
    written.put("note", "added by a newer producer");
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(infra.registryClient());
    try (KafkaProducer<String, byte[]> producer = rawProducer()) {
      producer
          .send(
              new ProducerRecord<>(
                  topic, current.getReservationId(), serializer.serialize(topic, written)))
          .get();
    }

    Object read =
        firstMatching(topic, new AvroDeserializer<>(infra.registryClient()), current.getId());

    assertThat(read).isEqualTo(current);
  }

  @Test
  void bytes_not_in_the_wire_format_are_refused_with_a_clear_reason() {
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>(infra.registryClient());

    assertThatThrownBy(
            () -> deserializer.deserialize("booking.reservations", "{\"seats\":2}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("booking.reservations")
        .hasMessageContaining("magic byte");
    assertThatThrownBy(
            () ->
                deserializer.deserialize(
                    "booking.reservations", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("writer schema");
  }

  private void assertWireFormat(String topic, byte[] value, Schema schema) {
    assertThat(value[0]).as("magic byte").isEqualTo((byte) 0);
    int id = ByteBuffer.wrap(value, 1, 4).getInt();
    String subject = SubjectNameStrategy.TOPIC_RECORD.subject(topic, false, schema);
    assertThat(id)
        .as("schema id of " + subject)
        .isEqualTo(infra.registryClient().idOf(subject, schema));
  }

  private Object firstMatching(String topic, AvroDeserializer<?> deserializer, String id) {
    List<Object> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = rawConsumer()) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  Object value = deserializer.deserialize(topic, record.value());
                  if (value instanceof GenericRecord generic
                      && id.equals(generic.get("id").toString())) {
                    found.add(value);
                  }
                }
                return !found.isEmpty();
              });
    }
    return found.get(0);
  }

  private static Schema withOptionalNote(Schema schema) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(
        new Schema.Field(
            "note",
            SchemaBuilder.unionOf().nullType().and().stringType().endUnion(),
            "a later field",
            Schema.Field.NULL_DEFAULT_VALUE));
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private KafkaConsumer<String, byte[]> rawConsumer() {
    return new KafkaConsumer<>(
        Map.of(
            "bootstrap.servers",
            infra.kafkaBootstrapServers(),
            "group.id",
            "contracts-" + UUID.randomUUID(),
            "auto.offset.reset",
            "earliest"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  private KafkaProducer<String, byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", infra.kafkaBootstrapServers()),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static String id(SpecificRecord event) {
    return event.get(event.getSchema().getField("id").pos()).toString();
  }
}
