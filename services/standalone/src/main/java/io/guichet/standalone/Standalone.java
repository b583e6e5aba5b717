package io.guichet.standalone;

import io.guichet.infra.embedded.EmbeddedPostgresServer;
import io.guichet.platform.kafka.Listeners;
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
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guichet in one JVM: a real KRaft broker, a real PostgreSQL, the schema registry and every service
 * module on the classpath, with all data in one directory so that a restart finds everything.
 */
public final class Standalone implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);

  /**
   * Services starting at once: more than the cores, since a start also waits on the broker and
   * PostgreSQL; more than that only makes each start slower.
   */
  private static final int PARALLEL_STARTS =
      Math.max(2, Runtime.getRuntime().availableProcessors() + 1);

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
    sizeEventLoops();
    // One instance of each service, on a broker of its own: its readers need no group membership.
    System.setProperty(Listeners.SOLE_MEMBERS, "true");
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

  /**
   * Starts every service but the entry point a few at a time (none needs another to start: they
   * only share the broker, the registry and PostgreSQL, and one after the other they took most of
   * the standalone's start), then the entry point, which is given all their addresses. Ports and
   * the summary's order stay those of the services' order.
   */
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
    List<Integer> inner = new ArrayList<>();
    List<Integer> entryPoints = new ArrayList<>();
    for (int i = 0; i < services.size(); i++) {
      (services.get(i).entryPoint() ? entryPoints : inner).add(i);
    }
    Map<Integer, RunningService> started = new TreeMap<>();
    ExecutorService starting =
        Executors.newFixedThreadPool(PARALLEL_STARTS, task -> new Thread(task, "guichet-start"));
    RuntimeException failure = null;
    try {
      Map<Integer, Future<RunningService>> futures = new TreeMap<>();
      for (int i : inner) {
        StandaloneEnvironment environment = environment(services.get(i), i, secrets);
        futures.put(i, starting.submit(() -> services.get(i).start(environment)));
      }
      for (Map.Entry<Integer, Future<RunningService>> future : futures.entrySet()) {
        try {
          started.put(future.getKey(), future.getValue().get());
        } catch (ExecutionException e) {
          failure = addFailure(failure, services.get(future.getKey()), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = addFailure(failure, services.get(future.getKey()), e);
        }
      }
    } finally {
      starting.shutdownNow();
    }
    // Known to close() before a failure is thrown, so that it stops what did start.
    started.forEach((i, service) -> running(services.get(i), service));
    if (failure != null) {
      throw failure;
    }
    for (int i : entryPoints) {
      running(services.get(i), services.get(i).start(environment(services.get(i), i, secrets)));
    }
  }

  private StandaloneEnvironment environment(
      GuichetService service, int index, DevelopmentSecrets secrets) {
    return stack.environment(
        settings.dataDir().resolve("services").resolve(service.name()),
        secrets,
        service.entryPoint() ? settings.gatewayPort() : settings.servicePort(index),
        // The entry point's actuator: on the port after the services'.
        settings.servicePort(index),
        serviceUrls);
  }

  private static RuntimeException addFailure(
      RuntimeException failure, GuichetService service, Throwable cause) {
    RuntimeException next =
        new IllegalStateException("cannot start " + service.name() + ": " + cause, cause);
    if (failure == null) {
      return next;
    }
    failure.addSuppressed(next);
    return failure;
  }

  private void running(GuichetService service, RunningService started) {
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

  /**
   * Reactor Netty's event loops (the services' HTTP servers and clients, and R2DBC's connections to
   * PostgreSQL), one set each per JVM: by default at least four, whatever the cores. The services
   * of one standalone share them, and never block on them; more loops than cores only adds threads
   * (four of them on two cores). Set before anything creates them; a -D on the command line wins.
   */
  static void sizeEventLoops() {
    if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
      System.setProperty(
          "reactor.netty.ioWorkerCount",
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Standalone standalone = start(StandaloneSettings.from(args, System.getenv()));
    if (List.of(args).contains("--exit-when-started")) {
      // A start and a stop, nothing else: the build's training run for the class-data archive
      // (the JVM writes the classes it loaded when it exits) and a quick "does it start" check.
      System.out.println(standalone.summary());
      standalone.close();
      System.exit(0);
    }
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
