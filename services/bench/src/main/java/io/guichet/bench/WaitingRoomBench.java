package io.guichet.bench;

import io.guichet.bench.bare.BareEndpointApplication;
import io.guichet.booking.BookingService;
import io.guichet.platform.standalone.DevelopmentSecrets;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.stack.EmbeddedStack;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The waiting room's front door and admission: {@code POST /waiting-rooms/{event}/queue} of booking
 * as the standalone runs it (its allocator, projections, the room's writer and ticks included, on
 * the same stack), against a bare WebFlux endpoint answering the same in the same JVM; the heap and
 * RSS before and after a million arrivals; then the sale opens and admission is measured against
 * its configured rate, and every admitted place is checked to be admitted once, in queue order.
 */
final class WaitingRoomBench {

  /** Requests per endpoint before the measured runs, as the admission benchmark's (the JIT). */
  private static final int WARM_UP = 300_000;

  /** The buyers; arrival i is customer i modulo this (one place each, joining again keeps it). */
  private static final int CUSTOMERS = 50_000;

  /** The room's rate once the sale opens: 500 a second. */
  private static final int PER_MINUTE = 30_000;

  private static final Duration MEASURED_ADMISSION = Duration.ofSeconds(30);

  private final EmbeddedStack stack;
  private final Path dir;
  private final int arrivals;
  private final int concurrency;
  private final Path profiles;
  private final String event = "bench-room-" + UUID.randomUUID();
  private final String[] bearers = new String[CUSTOMERS];
  private String organizer;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * @param profiles where to write CPU profiles of the bare endpoint's and the joins' saturation
   *     runs ({@link Profiling}), or null
   */
  WaitingRoomBench(EmbeddedStack stack, Path dir, int arrivals, int concurrency, Path profiles) {
    this.stack = stack;
    this.dir = dir;
    this.arrivals = arrivals;
    this.concurrency = concurrency;
    this.profiles = profiles;
  }

  String run() throws Exception {
    BenchStack.onSale(stack, event, 1_000_000, 1, 1);
    String[] signed = BenchStack.bearers(stack, CUSTOMERS);
    System.arraycopy(signed, 0, bearers, 0, CUSTOMERS);
    organizer = signed[CUSTOMERS];
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "%nWaiting room benchmark: %,d arrivals for one event from %,d buyers, %d in flight;"
                + " one JVM holds the broker, PostgreSQL's client, the registry, booking, the bare"
                + " endpoint and the load generator (2 cores)%n",
            arrivals, CUSTOMERS, concurrency));
    String path = "/waiting-rooms/" + event + "/queue";
    try (RunningService booking = startBooking();
        ConfigurableApplicationContext bare = BareEndpointApplication.start();
        LoadRun bareLoad = new LoadRun(url(bare), path, concurrency, this::bearer);
        LoadRun joins = new LoadRun(url(booking), path, concurrency, this::bearer)) {
      String base = url(booking);
      // The sale opens in an hour: every arrival waits in the pre-queue meanwhile.
      configure(base, Instant.now().plus(Duration.ofHours(1)));
      awaitJoins(joins);
      bareLoad.saturate(WARM_UP, concurrency, i -> "", i -> null);
      joins.saturate(WARM_UP, concurrency, i -> "", i -> null);
      int measured = Math.min(arrivals, 200_000);
      LoadRun.Result bareMax;
      try (Profiling profiling = Profiling.start(profiles, "waiting-room-bare")) {
        bareMax = bareLoad.saturate(measured, concurrency, i -> "", i -> null);
      }
      LoadRun.Result joinMax;
      try (Profiling profiling = Profiling.start(profiles, "waiting-room-joins")) {
        joinMax = joins.saturate(measured, concurrency, i -> "", i -> null);
      }
      double half = bareMax.perSecond() / 2;
      LoadRun.Result joinHalf;
      try (LoadRun open =
          new LoadRun(url(booking), path, LoadRun.OPEN_LOOP_CONNECTIONS, this::bearer)) {
        joinHalf =
            open.opened(LoadRun.OPEN_LOOP_CONNECTIONS, i -> "")
                .atRate((int) Math.min(measured, half * 15), half, i -> "", i -> null);
      }
      report.append(line("bare WebFlux endpoint, saturation", bareMax));
      report.append(line("POST " + "/waiting-rooms/{event}/queue, saturation", joinMax));
      report.append(line("joins at half the bare rate", joinHalf));
      report.append(
          String.format(
              "  ratio joins / bare: %.2f (goal >= 0.50); join p99 at saturation %.1f ms, at %,.0f"
                  + " req/s %.1f ms (the 202s alone: %.1f ms, %,d refused with 503)%n",
              joinMax.perSecond() / bareMax.perSecond(),
              joinMax.percentileMillis(99),
              half,
              joinHalf.percentileMillis(99),
              LoadRun.Result.percentileMillis(joinHalf.servedNanos(), 99),
              joinHalf.shedNanos().length));

      Memory before = Memory.now();
      LoadRun.Result million = joins.saturate(arrivals, concurrency, i -> "", i -> null);
      Memory after = Memory.now();
      report.append(line(String.format("%,d more arrivals", arrivals), million));
      report.append(
          String.format(
              "  heap used after GC: %,d MiB before, %,d MiB after (goal: flat); heap committed: %,d"
                  + " MiB before, %,d MiB after; RSS: %,d MiB before, %,d MiB after%n",
              before.heapMib(),
              after.heapMib(),
              before.committedMib(),
              after.committedMib(),
              before.rssMib(),
              after.rssMib()));

      try (Connection db = DriverManager.getConnection(stack.postgres().jdbcUrl("booking"))) {
        awaitPlaced(db);
        configure(base, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        report.append(admission(db));
      }
    }
    return report.toString();
  }

  /** Admitted per second against the rate, over a window where the queue never empties. */
  private String admission(Connection db) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    long places;
    try (Statement query = db.createStatement()) {
      places = single(query, "SELECT count(*) FROM queue_places WHERE event_id = '" + event + "'");
      while (single(query, "SELECT count(*) FROM room_admissions WHERE event_id = '" + event + "'")
          == 0) {
        check(deadline, "the room never admitted anyone");
        Thread.sleep(100);
      }
      Instant first = Instant.now();
      // Admission runs for the measured window plus a margin at each end.
      Thread.sleep(MEASURED_ADMISSION.plusSeconds(4).toMillis());
      List<long[]> rows = new ArrayList<>();
      try (ResultSet admitted =
          query.executeQuery(
              "SELECT (extract(epoch FROM admitted_at) * 1000)::bigint, from_position, to_position"
                  + " FROM room_admissions WHERE event_id = '"
                  + event
                  + "' ORDER BY to_position")) {
        while (admitted.next()) {
          rows.add(new long[] {admitted.getLong(1), admitted.getLong(2), admitted.getLong(3)});
        }
      }
      long start = rows.get(0)[0] + 2_000;
      long end = start + MEASURED_ADMISSION.toMillis();
      long inWindow = 0;
      long next = 1;
      boolean contiguous = true;
      for (long[] row : rows) {
        contiguous &= row[1] == next;
        next = row[2] + 1;
        if (row[0] > start && row[0] <= end) {
          inWindow += row[2] - row[1] + 1;
        }
      }
      double perSecond = inWindow / (MEASURED_ADMISSION.toMillis() / 1000.0);
      double expected = PER_MINUTE / 60.0;
      long admittedThrough =
          single(
              query, "SELECT admitted_through FROM waiting_rooms WHERE event_id = '" + event + "'");
      long distinct =
          single(
              query,
              "SELECT count(DISTINCT customer_id) FROM queue_places WHERE event_id = '"
                  + event
                  + "' AND position <= "
                  + admittedThrough);
      long positions =
          single(
              query,
              "SELECT count(DISTINCT position) FROM queue_places WHERE event_id = '"
                  + event
                  + "' AND position BETWEEN 1 AND "
                  + admittedThrough);
      return String.format(
              "Admission at %,d a minute (%.0f/s), measured over %d s of a queue of %,d places: %.1f/s,"
                  + " %.1f%% of the rate (goal within 5%%)%n  checks: admitted ranges contiguous from"
                  + " place 1: %s; places 1..%,d each held by one buyer: %s; every buyer placed once:"
                  + " %s (%,d places for %,d buyers)%n",
              PER_MINUTE,
              expected,
              MEASURED_ADMISSION.toSeconds(),
              places,
              perSecond,
              100 * perSecond / expected,
              contiguous ? "yes" : "NO",
              admittedThrough,
              positions == admittedThrough && distinct == admittedThrough ? "yes" : "NO",
              places <= CUSTOMERS ? "yes" : "NO",
              places,
              CUSTOMERS)
          + String.format("  (measured from %s)%n", first);
    }
  }

  private void awaitPlaced(Connection db) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    try (Statement query = db.createStatement()) {
      long last = -1;
      while (true) {
        long placed =
            single(query, "SELECT pre_queue FROM waiting_rooms WHERE event_id = '" + event + "'");
        if (placed == last && placed > 0) {
          return;
        }
        last = placed;
        check(deadline, "the room's writer did not catch up");
        Thread.sleep(2_000);
      }
    }
  }

  private static long single(Statement query, String sql) throws Exception {
    try (ResultSet rows = query.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void check(Instant deadline, String what) {
    if (Instant.now().isAfter(deadline)) {
      throw new IllegalStateException(what);
    }
  }

  /** The JVM's heap after a full collection, and its resident memory. */
  private record Memory(long heapMib, long committedMib, long rssMib) {
    static Memory now() throws Exception {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      var usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      long heap = usage.getUsed() >> 20;
      long committed = usage.getCommitted() >> 20;
      long rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", "")) >> 10;
        }
      }
      return new Memory(heap, committed, rss);
    }
  }

  private void configure(String base, Instant opensAt) throws Exception {
    String body = "{\"opensAt\":\"" + opensAt + "\",\"admissionsPerMinute\":" + PER_MINUTE + "}";
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (http.send(
                HttpRequest.newBuilder(URI.create(base + "/waiting-rooms/" + event))
                    .header("Authorization", organizer)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode()
        != 202) {
      check(deadline, "booking never accepted the room's settings");
      Thread.sleep(200);
    }
  }

  /** The room is on once a join is answered 202. */
  private void awaitJoins(LoadRun joins) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (joins.saturate(1, 1, i -> "", i -> null).accepted() != 1) {
      check(deadline, "booking never took an arrival for " + event);
      Thread.sleep(100);
    }
  }

  private static String line(String what, LoadRun.Result result) {
    return String.format("  %-42s %s%n", what, result.line());
  }

  private static String url(RunningService service) {
    return service.address().split("\\s+", 2)[0];
  }

  private static String url(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  private String bearer(int i) {
    return bearers[i % CUSTOMERS];
  }

  private RunningService startBooking() {
    StandaloneEnvironment environment =
        stack.environment(
            dir.resolve("booking"), new DevelopmentSecrets(dir.resolve("secrets.properties")), 0);
    return new BookingService().start(environment);
  }
}
