package io.guichet.bench;

import io.guichet.stack.EmbeddedStack;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point: {@code allocation [--requests=N]} or {@code admission [--requests=N]
 * [--concurrency=C]} runs that benchmark on a fresh embedded stack (real broker, registry,
 * PostgreSQL) in a temporary directory.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "allocation";
    int requests = 100_000;
    int concurrency = 64;
    for (String arg : args) {
      if (arg.startsWith("--requests=")) {
        requests = Integer.parseInt(arg.substring("--requests=".length()));
      } else if (arg.startsWith("--concurrency=")) {
        concurrency = Integer.parseInt(arg.substring("--concurrency=".length()));
      }
    }
    if (!which.equals("allocation") && !which.equals("admission")) {
      throw new IllegalArgumentException(
          "unknown benchmark '" + which + "': 'allocation' or 'admission'");
    }
    Path dir = Files.createTempDirectory("guichet-bench-");
    try (EmbeddedStack stack = EmbeddedStack.start(dir, 0, 0, 0)) {
      System.out.println(
          which.equals("allocation")
              ? new AllocationBench(stack, dir, requests).run()
              : new AdmissionBench(stack, dir, requests, concurrency).run());
    }
    // Services' non-daemon threads (Netty, Kafka) must not keep the benchmark's JVM alive.
    System.exit(0);
  }
}
