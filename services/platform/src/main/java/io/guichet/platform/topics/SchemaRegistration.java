package io.guichet.platform.topics;

import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.platform.serde.SubjectNameStrategy;
import io.guichet.schemas.TopicSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Registers every declared event schema under its subject ({@code <topic>-<record name>}), so the
 * registry lists every contract before the first record is written, and an incompatible contract is
 * refused at start rather than at the first send.
 */
public final class SchemaRegistration {

  private SchemaRegistration() {}

  /** Registers each value schema of each topic; returns subject to schema id. */
  public static Map<String, Integer> registerAll(
      SchemaRegistryClient registry, List<TopicSpec> topics) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (TopicSpec topic : topics) {
      for (Schema schema : topic.valueSchemas()) {
        String subject = SubjectNameStrategy.TOPIC_RECORD.subject(topic.name(), false, schema);
        ids.put(subject, registry.register(subject, schema));
      }
    }
    return ids;
  }
}
