package io.guichet.stack;

import io.guichet.infra.embedded.EmbeddedKafka;
import io.guichet.infra.embedded.EmbeddedPostgresServer;
import io.guichet.infra.embedded.PostgresDatabases;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.platform.standalone.DevelopmentSecrets;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.platform.topics.SchemaRegistration;
import io.guichet.platform.topics.TopicProvisioner;
import io.guichet.registry.SchemaRegistryApplication;
import io.guichet.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real KRaft broker, a real PostgreSQL and the schema registry, with every declared topic created
 * and every declared schema registered: the ground the standalone mode and the integration tests
 * both stand on. Data lives under one directory; ports 0 mean any free port.
 */
public final class EmbeddedStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private String bootstrapServers;
  private EmbeddedPostgresServer postgres;
  private PostgresDatabases databases;
  private String registryUrl;
  private List<String> createdTopics;
  private Map<String, Integer> subjects;

  private EmbeddedStack() {}

  /**
   * Starts the stack; on failure stops what had started.
   *
   * @param dataDir holds {@code kafka/} and {@code postgres/}, kept between runs
   */
  public static EmbeddedStack start(
      Path dataDir, int kafkaPort, int postgresPort, int registryPort) {
    return start(dataDir, kafkaPort, postgresPort, registryPort, false, false);
  }

  /**
   * Starts the stack; on failure stops what had started.
   *
   * @param dataDir holds {@code kafka/} and {@code postgres/}, kept between runs
   * @param durable whether PostgreSQL writes durably (fsync, and commits wait for their WAL): the
   *     standalone; the tests and benchmarks keep the embedded library's faster settings
   * @param flushEveryWrite whether the broker flushes each record to disk before acknowledging it
   *     (see {@link EmbeddedKafka#start(Path, int, boolean)})
   */
  public static EmbeddedStack start(
      Path dataDir,
      int kafkaPort,
      int postgresPort,
      int registryPort,
      boolean durable,
      boolean flushEveryWrite) {
    EmbeddedStack stack = new EmbeddedStack();
    // PostgreSQL starts beside the broker: neither needs the other.
    CompletableFuture<EmbeddedPostgresServer> postgres =
        CompletableFuture.supplyAsync(
            () -> EmbeddedPostgresServer.start(dataDir.resolve("postgres"), postgresPort, durable),
            task -> new Thread(task, "guichet-postgres-start").start());
    try {
      EmbeddedKafka kafka =
          EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort, flushEveryWrite);
      stack.started.push(kafka);
      stack.bootstrapServers = kafka.bootstrapServers();
      stack.postgres = started(postgres);
      stack.started.push(stack.postgres);
      stack.databases = stack.postgres;
      stack.provision(registryPort);
      return stack;
    } catch (RuntimeException e) {
      if (stack.postgres == null) {
        // Stopped with the rest once its start is over, if it succeeded.
        postgres
            .handle((server, failed) -> server)
            .thenAccept(
                server -> {
                  if (server != null) {
                    stack.started.push(server);
                  }
                })
            .join();
      }
      stack.close();
      throw e;
    }
  }

  private static <T> T started(CompletableFuture<T> start) {
    try {
      return start.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * The topics, the schema registry and the schemas on a broker and a PostgreSQL started elsewhere
   * (the tests' {@code -Pdocker} profile: the official images in containers). Closing the stack
   * stops the registry, then what {@code owned} holds; on failure it stops what had started.
   */
  public static EmbeddedStack on(
      String bootstrapServers, PostgresDatabases databases, AutoCloseable owned) {
    EmbeddedStack stack = new EmbeddedStack();
    stack.started.push(owned);
    stack.bootstrapServers = bootstrapServers;
    stack.databases = databases;
    try {
      stack.provision(0);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void provision(int registryPort) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      createdTopics = new TopicProvisioner(admin, (short) 1).provision(Topics.ALL);
    }
    // Closed by this stack, after the services, not by a shutdown hook of Spring's own.
    SpringApplication registryApplication = SchemaRegistryApplication.application();
    registryApplication.setRegisterShutdownHook(false);
    ConfigurableApplicationContext registry =
        registryApplication.run(
            "--server.port=" + registryPort,
            "--server.address=127.0.0.1",
            "--guichet.registry.bootstrap-servers=" + bootstrapServers);
    started.push(registry::close);
    registryUrl =
        "http://127.0.0.1:" + ((WebServerApplicationContext) registry).getWebServer().getPort();
    long registering = System.nanoTime();
    subjects = SchemaRegistration.registerAll(registryClient(), Topics.ALL);
    LOG.info(
        "{} subjects registered in {} ms",
        subjects.size(),
        (System.nanoTime() - registering) / 1_000_000);
  }

  public String kafkaBootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return registryUrl;
  }

  /** The embedded PostgreSQL server (none when the stack stands on one started elsewhere). */
  public EmbeddedPostgresServer postgres() {
    if (postgres == null) {
      throw new IllegalStateException("this stack's PostgreSQL was started elsewhere");
    }
    return postgres;
  }

  /** Where services and tests get their databases. */
  public PostgresDatabases databases() {
    return databases;
  }

  /**
   * What a service started on this stack is given: the broker, the registry, a database of its own
   * on demand (created when asked for), a directory for local state and the secrets.
   */
  public StandaloneEnvironment environment(
      Path serviceDir, DevelopmentSecrets secrets, int httpPort) {
    return environment(serviceDir, secrets, httpPort, 0, Map.of());
  }

  /**
   * The same, for a service that is told where the services started before it listen, and where to
   * show its actuator if it keeps it off its API's port (the gateway).
   */
  public StandaloneEnvironment environment(
      Path serviceDir,
      DevelopmentSecrets secrets,
      int httpPort,
      int managementPort,
      Map<String, String> serviceUrls) {
    return new StandaloneEnvironment(
        kafkaBootstrapServers(),
        schemaRegistryUrl(),
        database -> {
          createDatabase(database);
          return databases.r2dbcUrl(database);
        },
        database -> {
          createDatabase(database);
          return databases.jdbcUrl(database);
        },
        serviceDir,
        secrets,
        httpPort,
        managementPort,
        serviceUrls);
  }

  /**
   * One database at a time: services may start at once, and "create unless it exists" is a look and
   * then a statement.
   */
  private synchronized void createDatabase(String database) {
    databases.createDatabase(database);
  }

  public SchemaRegistryClient registryClient() {
    return new HttpSchemaRegistryClient(registryUrl);
  }

  /** Topics this start created; empty when an earlier run had created them all. */
  public List<String> createdTopics() {
    return createdTopics;
  }

  /** Every declared subject and its schema id. */
  public Map<String, Integer> subjects() {
    return subjects;
  }

  @Override
  public String toString() {
    return "the embedded stack (registry, PostgreSQL, broker)";
  }

  /** Stops the registry, PostgreSQL and the broker, in that order. */
  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      AutoCloseable next = started.pop();
      try {
        next.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}: {}", next, e.toString());
      }
    }
  }
}
