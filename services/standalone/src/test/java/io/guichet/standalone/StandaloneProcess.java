package io.guichet.standalone;

import static org.awaitility.Awaitility.await;

import io.guichet.platform.serde.AvroDeserializer;
import io.guichet.platform.serde.AvroSerdeConfig;
import io.guichet.platform.standalone.DevelopmentSecrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The standalone as a user runs it: {@code java -jar guichet-standalone.jar} in a JVM of its own,
 * so that a test can kill it with SIGKILL and start it again on the same data directory.
 */
final class StandaloneProcess implements AutoCloseable {

  static final Path JAR = Path.of("target", "guichet-standalone.jar").toAbsolutePath();

  /** What {@code run.sh} starts: the extracted jar and its class-data archive (build-layout.sh). */
  static final Path LAYOUT = Path.of("target", "guichet").toAbsolutePath();

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final Path data;

  private StandaloneProcess(Process process, Path data) {
    this.process = process;
    this.data = data;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  output.add(line);
                }
              } catch (IOException e) {
                // The process died: its output ends here.
              }
            },
            "standalone-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts it on {@code data}, every port free, and waits for its summary (at most 3 minutes);
   * {@code jvmOptions} go to its JVM, e.g. {@code -Dguichet.booking.allocator.hold=PT20S} (a
   * service's setting, as a system property).
   */
  static StandaloneProcess start(Path data, String... jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(List.of(jvmOptions));
    if (Files.isRegularFile(LAYOUT.resolve("guichet-standalone.jar"))) {
      // As run.sh starts it, the way the README says to run it.
      command.add("-XX:SharedArchiveFile=" + LAYOUT.resolve("guichet.jsa"));
      command.add("-jar");
      command.add(LAYOUT.resolve("guichet-standalone.jar").toString());
    } else {
      // Built with -Dguichet.layout.skip=true: the fat jar, which starts the same, only slower.
      command.add("-jar");
      command.add(JAR.toString());
    }
    for (String port :
        List.of(
            "kafka-port", "postgres-port", "registry-port", "first-service-port", "gateway-port")) {
      command.add("--" + port + "=0");
    }
    command.add("--data-dir=" + data);
    StandaloneProcess started =
        new StandaloneProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), data);
    await()
        .atMost(Duration.ofMinutes(3))
        .until(
            () -> {
              if (!started.process.isAlive()) {
                throw new IllegalStateException(
                    "the standalone stopped: " + String.join("\n", started.output));
              }
              return started.output.stream().anyMatch(line -> line.contains("Press Ctrl-C"));
            });
    return started;
  }

  /** Where the summary says {@code name} listens (a service, "Kafka (KRaft)", "PostgreSQL"). */
  String address(String name) {
    Pattern line = Pattern.compile("^\\s+" + Pattern.quote(name) + "\\s+(\\S+)");
    for (int i = output.size() - 1; i >= 0; i--) {
      Matcher found = line.matcher(output.get(i));
      if (found.find()) {
        return found.group(1);
      }
    }
    throw new IllegalStateException(name + " is not in the summary:\n" + String.join("\n", output));
  }

  String jdbcUrl(String database) {
    return address("PostgreSQL").replaceFirst("/postgres(\\?|$)", "/" + database + "$1");
  }

  DevelopmentSecrets secrets() {
    return new DevelopmentSecrets(data.resolve("secrets.properties"));
  }

  /**
   * Kills the JVM with SIGKILL ({@code kill -9}), and nothing else: the PostgreSQL server it
   * started runs as processes of their own, which go away by themselves (their watcher sees the JVM
   * gone) or are stopped by the next start. Answers that server's process id.
   */
  long crash() throws Exception {
    long postmaster = postmaster();
    process.destroyForcibly().waitFor();
    return postmaster;
  }

  /** Every committed record on the topic, read from its start to where it ends now. */
  List<ConsumerRecord<String, SpecificRecord>> committed(String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", address("Kafka (KRaft)"));
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, address("Schema registry"));
    config.put("isolation.level", "read_committed");
    config.put("client.id", "standalone-it-" + UUID.randomUUID());
    AvroDeserializer<SpecificRecord> values = new AvroDeserializer<>();
    values.configure(config, false);
    List<ConsumerRecord<String, SpecificRecord>> found = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), values)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(found::add);
      }
    }
    return found;
  }

  /** The PostgreSQL server's process id (from its postmaster.pid). */
  long postmaster() throws IOException {
    return Long.parseLong(
        Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        crash();
      }
    }
  }
}
