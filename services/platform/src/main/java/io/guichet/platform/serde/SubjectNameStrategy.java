package io.guichet.platform.serde;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * How a record's schema is named in the registry; the same three strategies as Confluent's serde.
 * Guichet uses {@link #TOPIC_RECORD} because its topics carry several event types each: {@code
 * booking.reservations-io.guichet.events.booking.SeatsHeld}.
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} or {@code <topic>-value}: one schema per topic. */
  TOPIC,
  /** {@code <record full name>}: one schema per event type, whatever the topic. */
  RECORD,
  /** {@code <topic>-<record full name>}: one schema per event type and topic. */
  TOPIC_RECORD;

  public String subject(String topic, boolean isKey, Schema schema) {
    return switch (this) {
      case TOPIC -> topic + (isKey ? "-key" : "-value");
      case RECORD -> schema.getFullName();
      case TOPIC_RECORD -> topic + "-" + schema.getFullName();
    };
  }

  /**
   * Reads a configured strategy: {@code topic-record}, {@code TOPIC_RECORD} or Confluent's class
   * names ({@code io.confluent.kafka.serializers.subject.TopicRecordNameStrategy}).
   */
  public static SubjectNameStrategy parse(String value) {
    String name = value.trim();
    int dot = name.lastIndexOf('.');
    name = name.substring(dot + 1).replace("NameStrategy", "").replace("-", "_");
    String normalized = name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    try {
      return valueOf(normalized);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown subject name strategy '" + value + "': use topic, record or topic-record", e);
    }
  }
}
