package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.infra.embedded.EmbeddedKafka;
import io.guichet.platform.topics.TopicScript;
import io.guichet.schemas.TopicSpec;
import io.guichet.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose init script, run for real (bash and Kafka's own TopicCommand) against a real broker.
 */
class TopicScriptIT {

  @TempDir Path dir;

  @Test
  void the_script_creates_every_declared_topic_and_dead_letter_topic_as_declared()
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      Path kafkaTopics = dir.resolve("kafka-topics.sh");
      Files.writeString(
          kafkaTopics,
          "#!/bin/sh\nexec \"%s/bin/java\" -cp \"%s\" org.apache.kafka.tools.TopicCommand \"$@\"\n"
              .formatted(System.getProperty("java.home"), System.getProperty("java.class.path")));
      Files.setPosixFilePermissions(kafkaTopics, PosixFilePermissions.fromString("rwx------"));
      Path script = Path.of("../..").resolve(TopicScript.PATH);

      ProcessBuilder run = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
      run.redirectOutput(dir.resolve("script.log").toFile());
      run.environment()
          .putAll(
              Map.of(
                  "BOOTSTRAP", kafka.bootstrapServers(), "KAFKA_TOPICS", kafkaTopics.toString()));
      Process process = run.start();
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("script finished").isTrue();
      assertThat(process.exitValue()).as(Files.readString(dir.resolve("script.log"))).isZero();

      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        List<String> expected =
            Topics.ALL.stream()
                .flatMap(t -> List.of(t.name(), t.deadLetterTopic()).stream())
                .toList();
        Map<String, TopicDescription> described =
            admin.describeTopics(expected).allTopicNames().get();
        Set<ConfigResource> resources =
            expected.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .collect(Collectors.toSet());
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        for (TopicSpec spec : Topics.ALL) {
          assertThat(described.get(spec.name()).partitions())
              .as(spec.name())
              .hasSize(spec.partitions());
          Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
          spec.configs()
              .forEach(
                  (key, value) ->
                      assertThat(config.get(key).value())
                          .as(spec.name() + " " + key)
                          .isEqualTo(value));
          Config dlt =
              configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.deadLetterTopic()));
          assertThat(dlt.get("retention.ms").value()).isEqualTo("-1");
        }
      }
    }
  }
}
