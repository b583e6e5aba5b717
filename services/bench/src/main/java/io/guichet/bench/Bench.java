package io.guichet.bench;

import io.guichet.stack.EmbeddedStack;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point: {@code allocation [--requests=N]} runs the allocation benchmark on a fresh embedded
 * stack (real broker, registry, PostgreSQL) in a temporary directory.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "allocation";
    int requests = 100_000;
    for (String arg : args) {
      if (arg.startsWith("--requests=")) {
        requests = Integer.parseInt(arg.substring("--requests=".length()));
      }
    }
    if (!which.equals("allocation")) {
      throw new IllegalArgumentException(
          "unknown benchmark '"
              + which
              + "': only 'allocation' exists (admission needs the booking web side)");
    }
    Path dir = Files.createTempDirectory("guichet-bench-");
    try (EmbeddedStack stack = EmbeddedStack.start(dir, 0, 0, 0)) {
      System.out.println(new AllocationBench(stack, dir, requests).run());
    }
  }
}
