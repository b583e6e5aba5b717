package io.guichet.infra.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller) running in this
 * JVM. Its log directory is formatted once and kept, so a restart on the same directory finds every
 * topic and record.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
  }

  /**
   * Starts a broker.
   *
   * @param logDir where topics live; formatted on first use, reused afterwards
   * @param port client port on 127.0.0.1, or 0 for any free port
   */
  public static EmbeddedKafka start(Path logDir, int port) {
    return start(logDir, port, false);
  }

  /**
   * Starts a broker.
   *
   * @param logDir where topics live; formatted on first use, reused afterwards
   * @param port client port on 127.0.0.1, or 0 for any free port
   * @param flushEveryWrite whether each record is flushed to disk before it is acknowledged ({@code
   *     log.flush.interval.messages=1}): what a single broker, with no replica to keep a copy, can
   *     do against a power loss, at a cost in throughput; otherwise Kafka flushes on its own
   *     schedule, as every Kafka does
   */
  public static EmbeddedKafka start(Path logDir, int port, boolean flushEveryWrite) {
    int brokerPort = Ports.orFree(port);
    int controllerPort = Ports.orFree(0);
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir.toAbsolutePath().toString());
    // One broker: internal topics cannot have more replicas than that.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "10");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "10");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // Topics are declared (io.guichet.schemas.Topics) and created on purpose, never by a typo.
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "6");
    // One node on a small machine: Kafka's defaults (8 request handlers, 3 network threads and 10
    // background threads each for the broker and the controller) are sized for a dedicated server.
    // Four request handlers each: with two, the allocator's transactions (fetches, produce, the
    // transaction coordinator's requests) decided 42,000-93,000 requests/s in the warm sold-out
    // rounds of `bench allocation` against 117,000-127,000 with four, the same hour.
    props.put("num.io.threads", "4");
    props.put("num.network.threads", "2");
    props.put("background.threads", "2");
    // The group coordinator's event loop: four threads by default, for the offsets and groups of
    // a cluster's worth of clients; here a few dozen consumers join once and then heartbeat.
    props.put("group.coordinator.threads", "1");
    // The controller's listener carries the broker's heartbeats to its own controller (this one
    // node is both): one network thread is plenty.
    props.put("listener.name.controller.num.network.threads", "1");
    // The active controller writes a no-op record to the metadata log every 500 ms by default so
    // that brokers can tell a silent controller from a quiet one; with one node, which is its own
    // controller, that was about a tenth of its CPU at rest (the log's appends, the metadata
    // loader, the quorum's timers).
    props.put("metadata.max.idle.interval.ms", "30000");
    if (flushEveryWrite) {
      props.put("log.flush.interval.messages", "1");
    }
    KafkaConfig config = new KafkaConfig(props);
    format(logDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    String bootstrap = "127.0.0.1:" + brokerPort;
    LOG.info("Kafka (KRaft) broker running at {} with data in {}", bootstrap, logDir);
    return new EmbeddedKafka(server, bootstrap, logDir);
  }

  private static void format(Path logDir) {
    try {
      Files.createDirectories(logDir);
      if (Files.exists(logDir.resolve("meta.properties"))) {
        return;
      }
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toAbsolutePath().toString()))
          .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setIgnoreFormatted(true)
          .run();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka log directory " + logDir, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + logDir, e);
    }
  }

  /** The address clients connect to, e.g. {@code 127.0.0.1:9092}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path logDir() {
    return logDir;
  }

  /** Stops the broker and waits until it has flushed and released its directory. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    LOG.info("Kafka broker at {} stopped", bootstrapServers);
  }
}
