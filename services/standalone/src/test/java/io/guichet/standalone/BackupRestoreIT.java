package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.infra.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/postgres/backup.sh and restore.sh on real data: a purchase through the standalone, a backup
 * of every service database while the services run, a restore into a fresh PostgreSQL, and every
 * table of every database compared, row by row.
 *
 * <p>pg_dump cannot dump a newer server than itself, and the embedded server is PostgreSQL 17; the
 * build machine's client is older (Debian 12 has 15). So the standalone runs here on the binaries
 * of PostgreSQL 15 ({@code backup-test-postgres.version}), which the build fetches from Maven
 * Central. The machine's pg_dump is found in {@code PG_BIN}, or the newest {@code
 * /usr/lib/postgresql/N/bin}.
 */
class BackupRestoreIT {

  private static final List<String> DATABASES =
      List.of("catalog", "booking", "payment", "ticketing", "gate", "identity");
  private static final Pattern MAJOR = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

  @TempDir Path data;
  @TempDir Path backups;
  @TempDir Path fresh;

  @Test
  void a_backup_restored_into_a_fresh_postgresql_reproduces_every_table() throws Exception {
    Path tools = postgresTools();
    String bundle = System.getProperty("guichet.test.backup-postgres");
    assertThat(bundle).as("set by the standalone module's failsafe configuration").isNotNull();
    assertThat(Path.of(bundle)).exists();
    System.setProperty(EmbeddedPostgresServer.BINARIES_PROPERTY, bundle);
    try {
      Map<String, List<String>> before;
      Path backup = backups.resolve("first");
      try (Standalone standalone = Standalone.start(new StandaloneSettings(data, 0, 0, 0, 0, 0))) {
        StandaloneIT.People people = StandaloneIT.people(standalone, data);
        assertThat(StandaloneIT.buyerPaysForSeatsOfAnOrganizersEvent(people).status())
            .isEqualTo("CONFIRMED");
        EmbeddedPostgresServer postgres = standalone.postgres();
        assertThat(serverVersion(postgres)).startsWith("15.");
        // The services keep writing for a moment (tickets issued, outboxes drained): back up
        // once two looks a second apart find the same rows.
        List<Map<String, List<String>>> looks = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  looks.add(tables(postgres));
                  int n = looks.size();
                  return n >= 2 && looks.get(n - 1).equals(looks.get(n - 2));
                });
        before = looks.get(looks.size() - 1);
        assertThat(before.get("ticketing.tickets")).as("tickets issued").hasSize(2);
        assertThat(before.get("booking.reservation_status")).isNotEmpty();
        assertThat(before.get("payment.payments")).isNotEmpty();

        Script dump = run(tools, postgres.port(), "backup.sh", backup.toString());
        assertThat(dump.exit()).as(dump.output()).isZero();
        assertThat(tables(postgres)).as("nothing changed during the backup").isEqualTo(before);
      }
      assertThat(Files.readString(backup.resolve("MANIFEST"))).contains("pg_dump", "server: 15.");
      for (String database : DATABASES) {
        assertThat(backup.resolve(database + ".dump")).isNotEmptyFile();
      }

      try (EmbeddedPostgresServer target = EmbeddedPostgresServer.start(fresh, 0)) {
        Script restore = run(tools, target.port(), "restore.sh", backup.toString());
        assertThat(restore.exit()).as(restore.output()).isZero();
        assertThat(tables(target)).isEqualTo(before);

        // A restore never merges into a database that has tables, and changes nothing of it.
        Script again = run(tools, target.port(), "restore.sh", backup.toString());
        assertThat(again.exit()).isNotZero();
        assertThat(again.output()).contains("already has tables");
        assertThat(tables(target)).isEqualTo(before);
      }

      // A damaged archive is refused before anything is restored.
      Path damaged = backup.resolve("booking.dump");
      byte[] bytes = Files.readAllBytes(damaged);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(damaged, bytes);
      try (EmbeddedPostgresServer target = EmbeddedPostgresServer.start(fresh.resolve("2"), 0)) {
        Script refused = run(tools, target.port(), "restore.sh", backup.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("booking.dump");
        assertThat(databases(target)).doesNotContainAnyElementsOf(DATABASES);
      }
    } finally {
      System.clearProperty(EmbeddedPostgresServer.BINARIES_PROPERTY);
    }
  }

  /** Every row of every table of every service database, as text, in a stable order. */
  private static Map<String, List<String>> tables(EmbeddedPostgresServer postgres)
      throws SQLException {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String database : DATABASES) {
      try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database));
          Statement statement = connection.createStatement()) {
        List<String> names = new ArrayList<>();
        try (ResultSet rows =
            statement.executeQuery(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
          while (rows.next()) {
            names.add(rows.getString(1));
          }
        }
        assertThat(names).as(database + " tables").isNotEmpty();
        for (String table : names) {
          List<String> content = new ArrayList<>();
          try (ResultSet rows =
              statement.executeQuery("SELECT t::text FROM " + table + " t ORDER BY 1")) {
            while (rows.next()) {
              content.add(rows.getString(1));
            }
          }
          tables.put(database + "." + table, content);
        }
      }
    }
    return tables;
  }

  private static List<String> databases(EmbeddedPostgresServer postgres) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  private static String serverVersion(EmbeddedPostgresServer postgres) throws SQLException {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW server_version")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private record Script(int exit, String output) {}

  private static Script run(Path tools, int port, String script, String folder)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash", ServiceModules.ROOT.resolve("infra/postgres/" + script).toString(), folder)
            .redirectErrorStream(true);
    builder.environment().put("PGHOST", "127.0.0.1");
    builder.environment().put("PGPORT", Integer.toString(port));
    builder.environment().put("PGUSER", EmbeddedPostgresServer.USER);
    builder.environment().remove("PGPASSWORD");
    builder.environment().put("PG_BIN", tools.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(script + " ended").isTrue();
    return new Script(process.exitValue(), output);
  }

  /**
   * The folder with pg_dump, pg_restore and psql of major version 15 or newer: {@code PG_BIN}, or
   * the newest {@code /usr/lib/postgresql/N/bin} (Debian's layout).
   */
  private static Path postgresTools() throws IOException, InterruptedException {
    Optional<Path> folder =
        Optional.ofNullable(System.getenv("PG_BIN")).filter(s -> !s.isBlank()).map(Path::of);
    if (folder.isEmpty() && Files.isDirectory(Path.of("/usr/lib/postgresql"))) {
      try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
        folder =
            versions
                .map(version -> version.resolve("bin"))
                .filter(bin -> Files.isExecutable(bin.resolve("pg_dump")))
                .max(Comparator.comparing(BackupRestoreIT::major));
      }
    }
    assertThat(folder)
        .as("pg_dump, pg_restore and psql: set PG_BIN, or install Debian's postgresql-client")
        .isPresent();
    for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
      assertThat(folder.get().resolve(tool)).isExecutable();
    }
    Process version =
        new ProcessBuilder(folder.get().resolve("pg_dump").toString(), "--version")
            .redirectErrorStream(true)
            .start();
    String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    version.waitFor();
    Matcher major = MAJOR.matcher(text);
    assertThat(major.find()).as(text).isTrue();
    assertThat(Integer.parseInt(major.group(1)))
        .as("pg_dump's major version (the server here is 15)")
        .isGreaterThanOrEqualTo(15);
    return folder.get();
  }

  private static int major(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
