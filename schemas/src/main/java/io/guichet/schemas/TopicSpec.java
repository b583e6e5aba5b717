package io.guichet.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One topic of Guichet: its name, what its key is, which events travel on it and how it is kept.
 *
 * @param name topic name, {@code <context>.<stream>}
 * @param key the id the records are keyed by (a string); records with the same key keep their order
 * @param valueTypes the events that travel on the topic (Avro generated classes)
 * @param partitions number of partitions
 * @param compacted true for a compacted topic (latest value per key kept forever)
 * @param retention how long records are kept on a deleting topic; {@code null} for forever
 * @param description one sentence for the topic map
 */
public record TopicSpec(
    String name,
    String key,
    List<Class<? extends SpecificRecord>> valueTypes,
    int partitions,
    boolean compacted,
    Duration retention,
    String description) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    valueTypes = List.copyOf(valueTypes);
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1 for " + name);
    }
  }

  /** The Avro schemas of the events on this topic. */
  public List<Schema> valueSchemas() {
    return valueTypes.stream().map(SpecificData.get()::getSchema).toList();
  }

  /** The topic-level configuration to create the topic with. */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", compacted ? "compact" : "delete");
    if (!compacted) {
      configs.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
    }
    return configs;
  }

  /**
   * The configuration of the dead-letter topic: deleting, kept forever so no poison record is lost.
   */
  public Map<String, String> deadLetterConfigs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", "delete");
    configs.put("retention.ms", "-1");
    return configs;
  }

  /**
   * The dead-letter topic of this topic: unreadable records go there with the reason in headers.
   */
  public String deadLetterTopic() {
    return name + ".dlt";
  }
}
