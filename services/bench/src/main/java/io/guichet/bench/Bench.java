package io.guichet.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.guichet.stack.EmbeddedStack;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point: {@code allocation [--requests=N] [--rounds=R] [--consumer.<property>=<value>...]
 * [--producer.<property>=<value>...] [--profile=DIR]} (rounds on one JVM, the first cold; the
 * allocator's client settings, to compare tunings; DIR: a CPU profile of each round's allocation)
 * or {@code admission [--requests=N] [--concurrency=C] [--profile=DIR]} (DIR: CPU profiles of the
 * bare endpoint's and the front door's saturation runs, {@link Profiling}) or {@code projection
 * [--requests=N] [--profile=DIR]} (DIR: profiles of the catch-ups of booking's status and query's
 * reservations) or {@code waiting-room [--requests=N] [--concurrency=C] [--profile=DIR]} (N
 * arrivals: 1,000,000 by default; DIR: profiles of the bare endpoint's and the joins' saturation
 * runs) or {@code login-timing [--requests=N]} (N failed logins of each kind: 300 by default) or
 * {@code seats [--requests=N]} (best available on a 60,000-seat stadium against count-based
 * allocation, and the seat map's live lag: {@link SeatsBench}) runs that benchmark on a fresh
 * embedded stack (real broker, registry, PostgreSQL) in a temporary directory; {@code seat-picker
 * [--rounds=R]} times the allocator's best-available seat picking in memory ({@link
 * SeatPickerBench}).
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "allocation";
    int requests =
        which.equals("waiting-room") ? 1_000_000 : which.equals("login-timing") ? 300 : 100_000;
    int concurrency = 64;
    int rounds = 2;
    Map<String, String> clients = new HashMap<>();
    Path profiles = null;
    for (String arg : args) {
      if ((arg.startsWith("--consumer.") || arg.startsWith("--producer.")) && arg.contains("=")) {
        String setting = arg.substring("--".length());
        clients.put(
            setting.substring(0, setting.indexOf('=')),
            setting.substring(setting.indexOf('=') + 1));
      }
      if (arg.startsWith("--requests=")) {
        requests = Integer.parseInt(arg.substring("--requests=".length()));
      } else if (arg.startsWith("--rounds=")) {
        rounds = Integer.parseInt(arg.substring("--rounds=".length()));
      } else if (arg.startsWith("--profile=")) {
        profiles = Path.of(arg.substring("--profile=".length())).toAbsolutePath();
      } else if (arg.startsWith("--concurrency=")) {
        concurrency = Integer.parseInt(arg.substring("--concurrency=".length()));
      }
    }
    List<String> benchmarks =
        List.of(
            "allocation",
            "admission",
            "projection",
            "waiting-room",
            "login-timing",
            "seat-picker",
            "seats");
    if (!benchmarks.contains(which)) {
      throw new IllegalArgumentException(
          "unknown benchmark '" + which + "': one of " + String.join(", ", benchmarks));
    }
    if (which.equals("seat-picker")) {
      // The allocator's domain alone: no broker, no database.
      System.out.println(new SeatPickerBench(Math.max(2, rounds)).run());
      return;
    }
    Path dir = Files.createTempDirectory("guichet-bench-");
    try (EmbeddedStack stack = EmbeddedStack.start(dir, 0, 0, 0)) {
      if (which.equals("allocation")) {
        keepHeapAcrossCollections();
        // The first round runs on a cold JVM (class loading, JIT compilation of the Kafka clients'
        // and Avro paths); later rounds show the allocator as it runs in a service that
        // was up before the on-sale opened.
        for (int round = 1; round <= rounds; round++) {
          String label =
              "round %d of %d, %s JVM".formatted(round, rounds, round == 1 ? "cold" : "warm");
          System.out.println(
              new AllocationBench(stack, dir, requests, clients, label, false, profiles).run());
          System.out.println(
              new AllocationBench(stack, dir, requests, clients, label, true, profiles).run());
        }
      } else if (which.equals("seats")) {
        System.out.println(new SeatsBench(stack, dir, requests).run());
      } else if (which.equals("waiting-room")) {
        System.out.println(new WaitingRoomBench(stack, dir, requests, concurrency, profiles).run());
      } else if (which.equals("login-timing")) {
        System.out.println(new LoginTimingBench(stack, dir, requests).run());
      } else if (which.equals("projection")) {
        System.out.println(new ProjectionBench(stack, dir, requests, profiles).run());
      } else {
        System.out.println(new AdmissionBench(stack, dir, requests, concurrency, profiles).run());
      }
    }
    // Services' non-daemon threads (Netty, Kafka) must not keep the benchmark's JVM alive.
    System.exit(0);
  }

  /**
   * The heap figures' full collections must not give the heap back to the operating system: the
   * next round would then pay the kernel for every fresh page it allocates into (a fault and a
   * zeroed page: 22% of the allocator thread's samples in a warm round's profile), which a service
   * that has run for a while does not. G1 shrinks the heap after a full collection down to {@code
   * MaxHeapFreeRatio} free; a manageable flag, so the benchmark can set it for itself.
   */
  private static void keepHeapAcrossCollections() {
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .setVMOption("MaxHeapFreeRatio", "100");
  }
}
