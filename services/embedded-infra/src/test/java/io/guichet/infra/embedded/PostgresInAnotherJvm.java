package io.guichet.infra.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own that starts PostgreSQL on a data directory and then waits to be killed: what the
 * standalone is to its PostgreSQL, for tests of what happens when that JVM dies.
 */
final class PostgresInAnotherJvm implements AutoCloseable {

  private final Process jvm;

  private PostgresInAnotherJvm(Process jvm) {
    this.jvm = jvm;
  }

  /** Starts the JVM and waits until its PostgreSQL runs. */
  static PostgresInAnotherJvm start(Path dataDir) throws IOException {
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PostgresInAnotherJvm.class.getName(),
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      if (line.equals("READY")) {
        return new PostgresInAnotherJvm(jvm);
      }
    }
    throw new IllegalStateException("the other JVM ended before its PostgreSQL ran");
  }

  /** The processes it started besides PostgreSQL's (its watcher). */
  java.util.List<ProcessHandle> children() {
    return jvm.children().toList();
  }

  /** SIGKILL, as the kernel's out-of-memory killer or {@code kill -9} would. */
  void kill() throws InterruptedException {
    jvm.destroyForcibly();
    jvm.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (jvm.isAlive()) {
      kill();
    }
  }

  public static void main(String[] args) throws Exception {
    EmbeddedPostgresServer.start(Path.of(args[0]), 0);
    System.out.println("READY");
    System.out.flush();
    // Runs until it is killed: that is what the tests do to it.
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
