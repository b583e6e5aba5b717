package io.guichet.platform.topics;

import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders the declared topics as a shell script of {@code kafka-topics.sh} calls, for clusters that
 * Guichet does not create topics in itself (compose, Kubernetes). The committed script is checked
 * against this rendering, so it cannot drift from {@link Topics}.
 */
public final class TopicScript {

  public static final String PATH = "infra/kafka/create-topics.sh";

  private TopicScript() {}

  public static String render(List<TopicSpec> topics) {
    StringBuilder script = new StringBuilder();
    script.append("#!/usr/bin/env bash\n");
    script.append(
        "# Creates Guichet's topics and their dead-letter topics; existing topics are left alone.\n");
    script.append("# Rendered from io.guichet.schemas.Topics: do not edit. Regenerate with\n");
    script
        .append("#   ./mvnw -q -pl services/platform exec:java -Dexec.mainClass=")
        .append(TopicScript.class.getName())
        .append('\n');
    script.append("set -euo pipefail\n");
    script.append("BOOTSTRAP=\"${BOOTSTRAP:-kafka:9092}\"\n");
    script.append("REPLICATION_FACTOR=\"${REPLICATION_FACTOR:-1}\"\n");
    script.append("KAFKA_TOPICS=\"${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}\"\n\n");
    script.append("create() {\n");
    script.append("  local topic=$1 partitions=$2\n");
    script.append("  shift 2\n");
    script.append(
        "  \"$KAFKA_TOPICS\" --bootstrap-server \"$BOOTSTRAP\" --create --if-not-exists \\\n");
    script.append(
        "    --topic \"$topic\" --partitions \"$partitions\" --replication-factor \"$REPLICATION_FACTOR\" \"$@\"\n");
    script.append("}\n\n");
    for (TopicSpec spec : topics) {
      script
          .append("# ")
          .append(spec.description())
          .append(" Key: ")
          .append(spec.key())
          .append(".\n");
      TopicProvisioner.newTopics(spec, (short) 1)
          .forEach(topic -> line(script, topic.name(), topic.numPartitions(), topic.configs()));
    }
    return script.toString();
  }

  private static void line(
      StringBuilder script, String name, int partitions, Map<String, String> configs) {
    script.append("create ").append(name).append(' ').append(partitions);
    configs.forEach(
        (key, value) -> script.append(" --config ").append(key).append('=').append(value));
    script.append('\n');
  }

  /**
   * Writes the script to the given path, by default {@value #PATH} relative to the working
   * directory (the repository root when run through {@code ./mvnw exec:java}).
   */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : PATH);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, render(Topics.ALL));
    target.toFile().setExecutable(true);
    System.out.println("wrote " + target.toAbsolutePath().normalize());
  }
}
