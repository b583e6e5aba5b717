package io.guichet.platform.topics;

import io.guichet.platform.serde.SubjectNameStrategy;
import io.guichet.platform.tracing.TraceParent;
import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the contract of Guichet's topics as an AsyncAPI 3 document (JSON): for every topic its
 * key, partitions, replication, retention or compaction and ordering guarantee; for every event its
 * Avro schema, its registry subject and the Confluent wire format. The committed document is
 * checked against this rendering, so it cannot drift from {@link Topics} and the schemas.
 */
public final class AsyncApiDocument {

  public static final String PATH = "docs/asyncapi.json";
  static final String AVRO = "application/vnd.apache.avro+json;version=1.9.0";

  /** Topics Guichet's own services decide on, which partners should not read as facts. */
  private static final Set<String> INTERNAL = Set.of(Topics.RESERVATION_REQUESTS.name());

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private AsyncApiDocument() {}

  public static String render(List<TopicSpec> topics) {
    ObjectNode document = JSON.createObjectNode();
    document.put("asyncapi", "3.0.0");
    ObjectNode info = document.putObject("info");
    info.put("title", "Guichet event streams");
    info.put("version", "0.1.0");
    info.put(
        "description",
        "The facts Guichet publishes, for analytics and partner systems reading Kafka directly."
            + " Rendered from io.guichet.schemas.Topics: do not edit; regenerate with ./mvnw -q -pl"
            + " services/platform exec:java -Dexec.mainClass="
            + AsyncApiDocument.class.getName()
            + ". Values are Avro in the Confluent wire format (a zero byte, the schema id as four"
            + " bytes big-endian, the Avro binary encoding); keys are UTF-8 strings. Records carry"
            + " a W3C '"
            + TraceParent.HEADER
            + "' header. Delivery is at least once: every event has an 'id', and a consumer"
            + " deduplicates on it. Read with isolation.level=read_committed. See"
            + " docs/partners.md.");
    document.put("defaultContentType", AVRO);

    ObjectNode servers = document.putObject("servers");
    ObjectNode production = servers.putObject("production");
    production.put("host", "kafka-1:9092");
    production.put("protocol", "kafka");
    production.put(
        "description",
        "The cluster's bootstrap servers (compose: kafka-1:9092,kafka-2:9092,kafka-3:9092;"
            + " the standalone mode: 127.0.0.1:9092).");
    ObjectNode serverBinding = production.putObject("bindings").putObject("kafka");
    serverBinding.put("schemaRegistryUrl", "http://schema-registry:8081");
    serverBinding.put("schemaRegistryVendor", "confluent");
    serverBinding.put("bindingVersion", "0.5.0");

    ObjectNode channels = document.putObject("channels");
    ObjectNode operations = document.putObject("operations");
    ObjectNode messages = document.putObject("components").putObject("messages");
    for (TopicSpec spec : topics) {
      String channelId = id(spec.name());
      ObjectNode channel = channels.putObject(channelId);
      channel.put("address", spec.name());
      channel.put("title", spec.name());
      channel.put("description", describe(spec));
      ObjectNode channelMessages = channel.putObject("messages");
      ArrayNode operationMessages = JSON.createArrayNode();
      for (Schema schema : spec.valueSchemas()) {
        String name = schema.getName();
        channelMessages.putObject(name).put("$ref", "#/components/messages/" + name);
        operationMessages.addObject().put("$ref", "#/channels/" + channelId + "/messages/" + name);
        messages.set(name, message(spec, schema));
      }
      ObjectNode binding = channel.putObject("bindings").putObject("kafka");
      binding.put("topic", spec.name());
      binding.put("partitions", spec.partitions());
      binding.put("replicas", TopicManifests.REPLICAS);
      ObjectNode configuration = binding.putObject("topicConfiguration");
      for (Map.Entry<String, String> config : spec.configs().entrySet()) {
        if (config.getKey().equals("cleanup.policy")) {
          configuration.putArray("cleanup.policy").add(config.getValue());
        } else {
          configuration.put(config.getKey(), Long.parseLong(config.getValue()));
        }
      }
      binding.put("bindingVersion", "0.5.0");

      ObjectNode operation = operations.putObject("publish" + capitalized(channelId));
      operation.put("action", "send");
      operation.putObject("channel").put("$ref", "#/channels/" + channelId);
      operation.put(
          "summary",
          INTERNAL.contains(spec.name())
              ? "Guichet's own commands: read by its services, not a fact for partners."
              : "Guichet publishes these facts; any consumer group may read them.");
      operation.set("messages", operationMessages);
    }
    return JSON.writeValueAsString(document) + "\n";
  }

  private static String describe(TopicSpec spec) {
    String retention =
        spec.compacted()
            ? "Compacted: the latest record of each key is kept forever."
            : spec.retention() == null
                ? "Kept forever (retention.ms=-1): a new consumer can read the whole history."
                : "Kept " + spec.retention().toDays() + " days.";
    return spec.description()
        + " Key: "
        + spec.key()
        + " (UTF-8 string). Partitioned by the key (Kafka's default murmur2 partitioner), "
        + spec.partitions()
        + " partition(s): the records of one "
        + spec.key()
        + " are in one partition, in the order they happened; there is no order across keys. "
        + retention
        + " Unreadable records go to "
        + spec.deadLetterTopic()
        + ".";
  }

  private static ObjectNode message(TopicSpec spec, Schema schema) {
    ObjectNode message = JSON.createObjectNode();
    message.put("name", schema.getName());
    message.put("title", schema.getFullName());
    String doc = schema.getDoc();
    message.put(
        "summary",
        (doc == null || doc.isBlank() ? schema.getName() : doc)
            + " Registry subject: "
            + SubjectNameStrategy.TOPIC_RECORD.subject(spec.name(), false, schema)
            + ".");
    message.put("contentType", AVRO);
    ObjectNode payload = message.putObject("payload");
    payload.put("schemaFormat", AVRO);
    payload.set("schema", avro(schema));
    ObjectNode headers = message.putObject("headers");
    headers.put("type", "object");
    headers
        .putObject("properties")
        .putObject(TraceParent.HEADER)
        .put("type", "string")
        .put(
            "description",
            "W3C trace context of the request that caused the event (absent for timed events).");
    ObjectNode binding = message.putObject("bindings").putObject("kafka");
    binding.putObject("key").put("type", "string").put("description", spec.key());
    binding.put("schemaIdLocation", "payload");
    binding.put("schemaIdPayloadEncoding", "confluent");
    binding.put("schemaLookupStrategy", "TopicRecordNameStrategy");
    binding.put("bindingVersion", "0.5.0");
    return message;
  }

  private static JsonNode avro(Schema schema) {
    return JSON.readTree(schema.toString());
  }

  /**
   * A channel id from a topic name: booking.reservation-requests becomes
   * bookingReservationRequests.
   */
  static String id(String topic) {
    StringBuilder id = new StringBuilder();
    boolean upper = false;
    for (char c : topic.toCharArray()) {
      if (c == '.' || c == '-') {
        upper = true;
      } else {
        id.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return id.toString();
  }

  private static String capitalized(String id) {
    return Character.toUpperCase(id.charAt(0)) + id.substring(1);
  }

  /** Writes the document to the given path, by default {@value #PATH}. */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : PATH);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, render(Topics.ALL));
    System.out.println("wrote " + target.toAbsolutePath().normalize());
  }
}
