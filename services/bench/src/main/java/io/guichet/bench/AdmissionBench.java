package io.guichet.bench;

import io.guichet.bench.bare.BareEndpointApplication;
import io.guichet.booking.BookingApplication;
import io.guichet.booking.BookingService;
import io.guichet.platform.standalone.DevelopmentSecrets;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.schemas.Topics;
import io.guichet.stack.EmbeddedStack;
import io.guichet.web.BootServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Admission: {@code POST /reservations} of the booking service as the standalone runs it (its
 * allocator and status projection included, on the same stack), at saturation and at a fixed rate,
 * against a bare WebFlux endpoint taking the same body in the same JVM.
 */
final class AdmissionBench {

  private final EmbeddedStack stack;
  private final Path dir;
  private final int requests;
  private final int concurrency;

  /**
   * Requests per endpoint before the measured runs. After 100,000 the JIT was still compiling the
   * front door's code in the measured run (19% of its CPU samples, against 2% for the bare
   * endpoint); after 300,000 it was down to 2-5%.
   */
  private static final int WARM_UP = 300_000;

  /** Connections of the overload runs: a crowd, not a connection pool. */
  private static final int CROWD = 2_000;

  /** Booking's allocator, as booking.yml names it. */
  private static final String ALLOCATOR_GROUP = "booking-allocator";

  /** Booking's status projection, as booking.yml names it. */
  private static final String STATUS_GROUP = "booking-status";

  private final String event = "bench-" + UUID.randomUUID();

  /** The buyers; request i is customer i modulo this, with that customer's access token. */
  private static final int CUSTOMERS = 10_000;

  private final String[] bearers = new String[CUSTOMERS];

  /** Where the saturation runs of phase 1 are profiled, or null. */
  private final Path profiles;

  AdmissionBench(EmbeddedStack stack, Path dir, int requests, int concurrency, Path profiles) {
    this.stack = stack;
    this.dir = dir;
    this.requests = requests;
    this.concurrency = concurrency;
    this.profiles = profiles;
  }

  String run() throws Exception {
    BenchStack.onSale(stack, event, 50_000_000, 4, 1_000);
    System.arraycopy(BenchStack.bearers(stack, CUSTOMERS), 0, bearers, 0, CUSTOMERS);
    IntFunction<String> noKey = i -> null;
    String run = UUID.randomUUID().toString();
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "%nAdmission benchmark: %,d requests per measured run, %d in flight at saturation;"
                + " one JVM holds the broker, PostgreSQL, the registry, booking, the bare endpoint"
                + " and the load generator (2 cores)%n",
            requests, concurrency));

    // Phase 1: the front door alone, the allocator and the projection not running anywhere.
    LoadRun.Result bareMax;
    try (RunningService frontDoor = startBooking(false);
        ConfigurableApplicationContext bare = BareEndpointApplication.start();
        LoadRun bareLoad = new LoadRun(url(bare), concurrency, this::bearer);
        LoadRun bookingLoad = new LoadRun(url(frontDoor), concurrency, this::bearer)) {
      awaitAdmission(bookingLoad);
      bareLoad.saturate(WARM_UP, concurrency, this::body, noKey);
      bookingLoad.saturate(WARM_UP, concurrency, this::body, noKey);
      try (Profiling profile = Profiling.start(profiles, "bare-endpoint")) {
        bareMax = bareLoad.saturate(requests, concurrency, this::body, noKey);
      }
      LoadRun.Result frontMax;
      try (Profiling profile = Profiling.start(profiles, "front-door")) {
        frontMax = bookingLoad.saturate(requests, concurrency, this::body, noKey);
      }
      LoadRun.Result frontHalf = atHalf(url(frontDoor), bareMax);
      LoadRun.Result bareHalf = atHalf(url(bare), bareMax);
      LoadRun.Result frontTwice = atTwice(url(frontDoor), frontMax);
      LoadRun.Result bareControl = atTwice(url(bare), frontMax);
      report.append("Phase 1: booking's front door alone (allocator and status projection off)\n");
      report.append(line("bare WebFlux endpoint, saturation", bareMax));
      report.append(line("POST /reservations, saturation", frontMax));
      report.append(line("POST /reservations at half the bare rate", frontHalf));
      report.append(line("bare endpoint at half its rate (control)", bareHalf));
      report.append(summary(frontMax, bareMax, frontHalf));
      report.append(shed("front door alone", frontMax, frontTwice));
      report.append(control(bareControl));
    }

    // Phase 2: booking as the standalone runs it; it first decides and projects phase 1's backlog.
    try (RunningService booking = startBooking(true);
        ConfigurableApplicationContext bare = BareEndpointApplication.start();
        LoadRun bookingLoad = new LoadRun(url(booking), concurrency, this::bearer)) {
      awaitAdmission(bookingLoad);
      awaitIdle();
      bookingLoad.saturate(WARM_UP / 5, concurrency, this::body, i -> run + "-w-" + i);
      awaitIdle();
      LoadRun.Result admissionMax = bookingLoad.saturate(requests, concurrency, this::body, noKey);
      awaitIdle();
      LoadRun.Result admissionHalf = atHalf(url(booking), bareMax);
      awaitIdle();
      LoadRun.Result keyedMax =
          bookingLoad.saturate(requests, concurrency, this::body, i -> run + "-m-" + i);
      awaitIdle();
      LoadRun.Result admissionTwice = atTwice(url(booking), admissionMax);
      awaitIdle();
      LoadRun.Result bareControl = atTwice(url(bare), admissionMax);
      report.append(
          "Phase 2: booking as the standalone runs it (allocator and status projection working"
              + " through the same requests meanwhile)\n");
      report.append(line("POST /reservations, saturation", admissionMax));
      report.append(line("POST /reservations at half the bare rate", admissionHalf));
      report.append(line("POST /reservations + Idempotency-Key", keyedMax));
      report.append(summary(admissionMax, bareMax, admissionHalf));
      report.append(shed("whole booking service", admissionMax, admissionTwice));
      report.append(control(bareControl));
    }
    return report.toString();
  }

  /**
   * Twice the measured capacity, open loop, from as many connections as a crowd opens (not the
   * saturation runs' 64, which would queue the excess in the client and never reach the server's
   * bound): the served requests keep their latency and the rest are refused at once.
   */
  private LoadRun.Result atTwice(String url, LoadRun.Result capacity) {
    double twice = capacity.perSecond() * 2;
    try (LoadRun crowd = new LoadRun(url, CROWD, this::bearer)) {
      return crowd.atRate((int) Math.min(requests, twice * 15), twice, this::body, i -> null);
    }
  }

  /**
   * The same crowd at the same rate against the bare endpoint, which sheds nothing and does
   * nothing: the latency this machine shows for that load when the generator shares its two cores,
   * the floor under any figure above.
   */
  private static String control(LoadRun.Result bare) {
    return String.format("    control, the bare endpoint under the same crowd: %s%n", bare.line());
  }

  private static String shed(String what, LoadRun.Result capacity, LoadRun.Result twice) {
    return String.format(
        "  %s at twice its capacity (%,.0f req/s offered, %d connections):%n    %s%n"
            + "    goal: served p99 < 100 ms, 503 p99 < 10 ms%n",
        what, capacity.perSecond() * 2, CROWD, twice.shedLine());
  }

  /** Half the bare endpoint's rate, open loop, over connections opened before it starts. */
  private LoadRun.Result atHalf(String url, LoadRun.Result bareMax) {
    double half = bareMax.perSecond() / 2;
    try (LoadRun load = new LoadRun(url, LoadRun.OPEN_LOOP_CONNECTIONS, this::bearer)) {
      return load.opened(LoadRun.OPEN_LOOP_CONNECTIONS, this::body)
          .atRate((int) Math.min(requests, half * 15), half, this::body, i -> null);
    }
  }

  private static String line(String what, LoadRun.Result result) {
    return String.format("  %-42s %s%n", what, result.line());
  }

  private static String summary(
      LoadRun.Result admission, LoadRun.Result bare, LoadRun.Result atHalf) {
    return String.format(
        "  ratio admission / bare: %.2f (goal >= 0.50); p99 at %,.0f req/s: %.1f ms"
            + " (goal < 50 ms; the 202s alone: %.1f ms, %,d refused with 503)%n",
        admission.perSecond() / bare.perSecond(),
        bare.perSecond() / 2,
        atHalf.percentileMillis(99),
        LoadRun.Result.percentileMillis(atHalf.servedNanos(), 99),
        atHalf.shedNanos().length);
  }

  private static String url(RunningService service) {
    return service.address().split("\\s+", 2)[0];
  }

  private static String url(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** The reservation is for the token's customer; the body names the offer only. */
  private String body(int i) {
    return "{\"event\":\"" + event + "\",\"offer\":\"solo\",\"quantity\":1}";
  }

  private String bearer(int i) {
    return bearers[i % CUSTOMERS];
  }

  /**
   * Booking exactly as the standalone starts it; without its allocator and projection when {@code
   * whole} is false.
   */
  private RunningService startBooking(boolean whole) {
    StandaloneEnvironment environment =
        stack.environment(
            dir.resolve("booking"), new DevelopmentSecrets(dir.resolve("secrets.properties")), 0);
    if (whole) {
      return new BookingService().start(environment);
    }
    return BootServices.start(
        BookingApplication.application(),
        environment,
        "booking",
        "(front door only)",
        "--guichet.booking.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.booking.schema-registry-url=" + environment.schemaRegistryUrl(),
        "--guichet.booking.allocator.enabled=false",
        "--guichet.booking.status.projection-enabled=false",
        "--guichet.booking.waiting-room.pass-key="
            + environment.secrets().get("waiting-room-pass-key"));
  }

  /**
   * Waits until the allocator has decided every request written so far and the status projection
   * has stored every request and outcome, so that a measured run does not pay for the previous one.
   */
  private void awaitIdle() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()));
        Connection db = DriverManager.getConnection(stack.postgres().jdbcUrl("booking"))) {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
      while (!caughtUp(admin, db)) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("booking did not catch up within 5 minutes");
        }
        Thread.sleep(200);
      }
    }
  }

  private static boolean caughtUp(Admin admin, Connection db) throws Exception {
    Map<TopicPartition, Long> ends =
        Positions.ends(admin, Topics.RESERVATION_REQUESTS, Topics.RESERVATIONS);
    Map<TopicPartition, Long> allocated = Positions.committed(admin, ALLOCATOR_GROUP);
    Map<TopicPartition, Long> done = projected(db);
    for (TopicPartition partition : ends.keySet()) {
      if (partition.topic().equals(Topics.RESERVATION_REQUESTS.name())) {
        done.put(
            partition,
            Math.min(done.getOrDefault(partition, 0L), allocated.getOrDefault(partition, 0L)));
      }
    }
    return Positions.reached(done, ends, 2);
  }

  /** Where the status projection stands, as it stores it beside its rows. */
  private static Map<TopicPartition, Long> projected(Connection db) throws Exception {
    Map<TopicPartition, Long> projected = new HashMap<>();
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT topic, partition_no, next_offset FROM consumed_offsets WHERE consumer = ?")) {
      query.setString(1, STATUS_GROUP);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          projected.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
        }
      }
    }
    return projected;
  }

  /** Booking reads the catalog at start; the benchmark begins once it admits the offer. */
  private void awaitAdmission(LoadRun load) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (load.saturate(1, 1, this::body, i -> null).accepted() != 1) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("booking never admitted a request for " + event);
      }
    }
  }
}
