package io.guichet.platform.topics;

import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Renders the declared topics as Strimzi {@code KafkaTopic} resources, for a Kubernetes cluster
 * whose Kafka the Strimzi operator runs: three replicas, two of them in sync for a write, and each
 * topic's partitions, retention and compaction as {@link Topics} declares them, with its
 * dead-letter topic. The committed file is checked against this rendering, so it cannot drift.
 */
public final class TopicManifests {

  public static final String PATH = "infra/k8s/strimzi/topics.yaml";
  public static final short REPLICAS = 3;
  public static final String MIN_IN_SYNC = "2";

  private TopicManifests() {}

  public static String render(List<TopicSpec> topics) {
    StringBuilder yaml = new StringBuilder();
    yaml.append(
        "# Guichet's topics as Strimzi KafkaTopic resources (the cluster's name: guichet).\n");
    yaml.append("# Rendered from io.guichet.schemas.Topics: do not edit. Regenerate with\n");
    yaml.append("#   ./mvnw -q -pl services/platform exec:java -Dexec.mainClass=")
        .append(TopicManifests.class.getName())
        .append('\n');
    yaml.append(
        "# Without Strimzi, create them with infra/kafka/create-topics.sh (REPLICATION_FACTOR=3).\n");
    for (TopicSpec spec : topics) {
      for (NewTopic topic : TopicProvisioner.newTopics(spec, REPLICAS)) {
        yaml.append("---\n");
        yaml.append("# ")
            .append(
                topic.name().equals(spec.name())
                    ? spec.description()
                    : "Dead letters of " + spec.name() + ".")
            .append(" Key: ")
            .append(spec.key())
            .append(".\n");
        yaml.append("apiVersion: kafka.strimzi.io/v1beta2\n");
        yaml.append("kind: KafkaTopic\n");
        yaml.append("metadata:\n");
        yaml.append("  name: ").append(topic.name()).append('\n');
        yaml.append(
            "  labels: {strimzi.io/cluster: guichet, app.kubernetes.io/part-of: guichet}\n");
        yaml.append("spec:\n");
        yaml.append("  topicName: ").append(topic.name()).append('\n');
        yaml.append("  partitions: ").append(topic.numPartitions()).append('\n');
        yaml.append("  replicas: ").append(topic.replicationFactor()).append('\n');
        yaml.append("  config:\n");
        for (Map.Entry<String, String> config : topic.configs().entrySet()) {
          yaml.append("    ")
              .append(config.getKey())
              .append(": \"")
              .append(config.getValue())
              .append("\"\n");
        }
        yaml.append("    min.insync.replicas: \"").append(MIN_IN_SYNC).append("\"\n");
      }
    }
    return yaml.toString();
  }

  /** Writes the manifests to the given path, by default {@value #PATH}. */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : PATH);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, render(Topics.ALL));
    System.out.println("wrote " + target.toAbsolutePath().normalize());
  }
}
