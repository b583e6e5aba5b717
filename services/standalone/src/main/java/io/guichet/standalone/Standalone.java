package io.guichet.standalone;

import io.guichet.infra.embedded.EmbeddedKafka;
import io.guichet.infra.embedded.EmbeddedPostgresServer;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.platform.standalone.DevelopmentSecrets;
import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.platform.topics.SchemaRegistration;
import io.guichet.platform.topics.TopicProvisioner;
import io.guichet.registry.SchemaRegistryApplication;
import io.guichet.schemas.Topics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Guichet in one JVM: a real KRaft broker, a real PostgreSQL, the schema registry and every service
 * module on the classpath, with all data in one directory so that a restart finds everything.
 */
public final class Standalone implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);

  private final StandaloneSettings settings;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final List<String> serviceLines = new ArrayList<>();
  private EmbeddedKafka kafka;
  private EmbeddedPostgresServer postgres;
  private String registryUrl;
  private Map<String, Integer> subjects;
  private List<String> createdTopics;

  private Standalone(StandaloneSettings settings) {
    this.settings = settings;
  }

  /** Starts everything, in dependency order; on failure stops what had started. */
  public static Standalone start(StandaloneSettings settings) {
    Standalone standalone = new Standalone(settings);
    try {
      standalone.startAll();
      return standalone;
    } catch (RuntimeException e) {
      standalone.close();
      throw e;
    }
  }

  private void startAll() {
    kafka = EmbeddedKafka.start(settings.dataDir().resolve("kafka"), settings.kafkaPort());
    running.push(kafka);
    postgres =
        EmbeddedPostgresServer.start(
            settings.dataDir().resolve("postgres"), settings.postgresPort());
    running.push(postgres);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      createdTopics = new TopicProvisioner(admin, (short) 1).provision(Topics.ALL);
    }
    ConfigurableApplicationContext registry =
        SchemaRegistryApplication.application()
            .run(
                "--server.port=" + settings.registryPort(),
                "--server.address=127.0.0.1",
                "--guichet.registry.bootstrap-servers=" + kafka.bootstrapServers());
    running.push(registry::close);
    registryUrl =
        "http://127.0.0.1:" + ((WebServerApplicationContext) registry).getWebServer().getPort();
    subjects =
        SchemaRegistration.registerAll(new HttpSchemaRegistryClient(registryUrl), Topics.ALL);
    startServices();
  }

  private void startServices() {
    DevelopmentSecrets secrets =
        new DevelopmentSecrets(settings.dataDir().resolve("secrets.properties"));
    List<GuichetService> services =
        ServiceLoader.load(GuichetService.class).stream()
            .map(ServiceLoader.Provider::get)
            .sorted(
                Comparator.comparingInt(GuichetService::order).thenComparing(GuichetService::name))
            .toList();
    for (int i = 0; i < services.size(); i++) {
      GuichetService service = services.get(i);
      StandaloneEnvironment environment =
          new StandaloneEnvironment(
              kafka.bootstrapServers(),
              registryUrl,
              database -> {
                postgres.createDatabase(database);
                return postgres.r2dbcUrl(database);
              },
              database -> {
                postgres.createDatabase(database);
                return postgres.jdbcUrl(database);
              },
              settings.dataDir().resolve("services").resolve(service.name()),
              secrets,
              settings.servicePort(i));
      RunningService started = service.start(environment);
      running.push(started);
      serviceLines.add(String.format("  %-18s %s", service.name(), started.address()));
    }
  }

  public String kafkaBootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String schemaRegistryUrl() {
    return registryUrl;
  }

  public EmbeddedPostgresServer postgres() {
    return postgres;
  }

  /** What runs where, for the console. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append("\nGuichet standalone is running. Data in ")
        .append(settings.dataDir())
        .append('\n');
    text.append(String.format("  %-18s %s%n", "Kafka (KRaft)", kafka.bootstrapServers()));
    text.append(
        String.format(
            "  %-18s %s  (%d subjects)%n", "Schema registry", registryUrl, subjects.size()));
    text.append(String.format("  %-18s %s%n", "PostgreSQL", postgres.jdbcUrl("postgres")));
    text.append(
        String.format(
            "  %-18s %d event topics and their .dlt topics%s%n",
            "Topics",
            Topics.ALL.size(),
            createdTopics.isEmpty() ? " (found from an earlier run)" : " (created now)"));
    if (serviceLines.isEmpty()) {
      text.append(
          String.format("  %-18s none yet: no service module is on the classpath%n", "Services"));
    } else {
      text.append("  Services\n");
      serviceLines.forEach(line -> text.append(line).append('\n'));
    }
    text.append("Press Ctrl-C to stop.\n");
    return text.toString();
  }

  /** Stops everything in the reverse order of starting. */
  @Override
  public synchronized void close() {
    while (!running.isEmpty()) {
      AutoCloseable next = running.pop();
      try {
        next.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}: {}", next, e.toString());
      }
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Standalone standalone = start(StandaloneSettings.from(args, System.getenv()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping Guichet...");
                  standalone.close();
                  System.out.println("Guichet stopped.");
                  stopped.countDown();
                },
                "guichet-shutdown"));
    System.out.println(standalone.summary());
    stopped.await();
  }
}
