package io.guichet.standalone;

import io.guichet.infra.embedded.EmbeddedPostgresServer;
import io.guichet.platform.standalone.DevelopmentSecrets;
import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.schemas.Topics;
import io.guichet.stack.EmbeddedStack;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guichet in one JVM: a real KRaft broker, a real PostgreSQL, the schema registry and every service
 * module on the classpath, with all data in one directory so that a restart finds everything.
 */
public final class Standalone implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);

  private final StandaloneSettings settings;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  /** The gateway, once started: stopped before the other services. */
  private AutoCloseable entryPoint;

  private final List<String> serviceLines = new ArrayList<>();
  private final Map<String, String> serviceUrls = new HashMap<>();
  private final Map<String, String> managementUrls = new HashMap<>();
  private EmbeddedStack stack;

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
    stack =
        EmbeddedStack.start(
            settings.dataDir(),
            settings.kafkaPort(),
            settings.postgresPort(),
            settings.registryPort(),
            // A product keeps what it acknowledged: PostgreSQL fsyncs and commits wait for their
            // WAL (issue 15's SIGKILL test lost the last commits, and relayed outbox rows,
            // without it); the broker flushes each record only when asked to.
            true,
            settings.kafkaFlushEveryWrite());
    running.push(stack);
    startServices();
  }

  private void startServices() {
    DevelopmentSecrets secrets =
        new DevelopmentSecrets(settings.dataDir().resolve("secrets.properties"));
    List<GuichetService> services =
        ServiceLoader.load(GuichetService.class).stream()
            .map(ServiceLoader.Provider::get)
            .sorted(
                Comparator.comparing(GuichetService::entryPoint)
                    .thenComparingInt(GuichetService::order)
                    .thenComparing(GuichetService::name))
            .toList();
    for (int i = 0; i < services.size(); i++) {
      GuichetService service = services.get(i);
      StandaloneEnvironment environment =
          stack.environment(
              settings.dataDir().resolve("services").resolve(service.name()),
              secrets,
              service.entryPoint() ? settings.gatewayPort() : settings.servicePort(i),
              // The entry point's actuator: on the port after the services'.
              settings.servicePort(i),
              serviceUrls);
      RunningService started = service.start(environment);
      Named named = new Named(service.name(), started);
      running.push(named);
      if (service.entryPoint()) {
        entryPoint = named;
      }
      serviceLines.add(String.format("  %-18s %s", service.name(), started.address()));
      serviceUrls.put(service.name(), started.address().split("\\s+", 2)[0]);
      started
          .managementUrl()
          .ifPresent(
              management -> {
                managementUrls.put(service.name(), management);
                serviceLines.add(
                    String.format(
                        "  %-18s %s  (health with details, /actuator/prometheus)",
                        service.name() + "-actuator", management));
              });
    }
  }

  /**
   * Where a service's actuator (health with details, metrics) listens: its API's port, or for the
   * gateway, whose port is public, a port of its own.
   */
  public String managementUrl(String name) {
    return managementUrls.getOrDefault(name, serviceUrl(name));
  }

  /** Where a service's HTTP API listens, e.g. {@code http://127.0.0.1:8082}. */
  public String serviceUrl(String name) {
    String url = serviceUrls.get(name);
    if (url == null) {
      throw new IllegalArgumentException("no service " + name + " runs here");
    }
    return url;
  }

  public String kafkaBootstrapServers() {
    return stack.kafkaBootstrapServers();
  }

  public String schemaRegistryUrl() {
    return stack.schemaRegistryUrl();
  }

  public EmbeddedPostgresServer postgres() {
    return stack.postgres();
  }

  /** What runs where, for the console. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append("\nGuichet standalone is running. Data in ")
        .append(settings.dataDir())
        .append('\n');
    text.append(String.format("  %-18s %s%n", "Kafka (KRaft)", stack.kafkaBootstrapServers()));
    text.append(
        String.format(
            "  %-18s %s  (%d subjects)%n",
            "Schema registry", stack.schemaRegistryUrl(), stack.subjects().size()));
    text.append(String.format("  %-18s %s%n", "PostgreSQL", stack.postgres().jdbcUrl("postgres")));
    text.append(
        String.format(
            "  %-18s %d event topics and their .dlt topics%s%n",
            "Topics",
            Topics.ALL.size(),
            stack.createdTopics().isEmpty() ? " (found from an earlier run)" : " (created now)"));
    if (serviceLines.isEmpty()) {
      text.append(
          String.format("  %-18s none yet: no service module is on the classpath%n", "Services"));
    } else {
      text.append("  Services\n");
      serviceLines.forEach(line -> text.append(line).append('\n'));
    }
    if (serviceUrls.containsKey("gateway")) {
      text.append(
          String.format(
              "  %-18s %s/openapi.json  (read it at %s/docs)%n",
              "API document", serviceUrl("gateway"), serviceUrl("gateway")));
    }
    text.append(
        String.format(
            "  %-18s infra/grafana/dashboards in the repository (Grafana, over Prometheus"
                + " scraping each service's /actuator/prometheus above)%n",
            "Dashboards"));
    text.append("Press Ctrl-C to stop.\n");
    return text.toString();
  }

  /**
   * Stops the entry point first (no new requests), then every other service at once (none calls
   * another, and each takes seconds to close its consumers and servers: one after the other, they
   * made a stop of half a minute), then the stack they all stood on.
   */
  @Override
  public synchronized void close() {
    List<AutoCloseable> services = new ArrayList<>();
    while (!running.isEmpty() && running.peek() != stack) {
      services.add(running.pop());
    }
    if (services.remove(entryPoint)) {
      closeQuietly(entryPoint);
    }
    List<Thread> closing = new ArrayList<>();
    for (AutoCloseable service : services) {
      Thread thread = new Thread(() -> closeQuietly(service), "guichet-stop-" + closing.size());
      thread.start();
      closing.add(thread);
    }
    for (Thread thread : closing) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    while (!running.isEmpty()) {
      closeQuietly(running.pop());
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    long started = System.nanoTime();
    try {
      closeable.close();
      LOG.info("{} stopped in {} ms", closeable, (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("error while stopping {}: {}", closeable, e.toString());
    }
  }

  /** A started service, named in the log when it stops. */
  private record Named(String name, AutoCloseable service) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      service.close();
    }

    @Override
    public String toString() {
      return name;
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
