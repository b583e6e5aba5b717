package io.guichet.testsupport;

import io.guichet.infra.embedded.PostgresDatabases;
import io.guichet.stack.EmbeddedStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The tests' {@code -Pdocker} profile: the official {@code apache/kafka} and {@code postgres}
 * images, started by Testcontainers, in place of the embedded broker and PostgreSQL; the schema
 * registry, topics and schemas are provisioned on them as on the embedded ones. Without a Docker
 * engine it refuses at once, naming the cause, rather than letting every test fail its own way or
 * pass without having run.
 */
final class DockerInfrastructure {

  /** The images, pinned: the versions the compose file and the Kubernetes manifests run. */
  static final String KAFKA_IMAGE = "apache/kafka:4.2.1";

  static final String POSTGRES_IMAGE = "postgres:17";

  private DockerInfrastructure() {}

  static EmbeddedStack start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(
          "no Docker engine: the -Pdocker profile runs the integration tests against the"
              + " apache/kafka and postgres images through Testcontainers, which needs a running"
              + " Docker engine (DOCKER_HOST or /var/run/docker.sock). Start one, or run the tests"
              + " without -Pdocker (embedded broker and PostgreSQL).");
    }
    KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
    @SuppressWarnings("resource")
    PostgreSQLContainer postgres =
        new PostgreSQLContainer(POSTGRES_IMAGE)
            .withUsername("postgres")
            // As the embedded server: the superuser, without a password, on a test machine.
            .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
    kafka.start();
    try {
      postgres.start();
    } catch (RuntimeException e) {
      kafka.stop();
      throw e;
    }
    return EmbeddedStack.on(
        kafka.getBootstrapServers(),
        new ContainerDatabases(postgres),
        () -> {
          postgres.stop();
          kafka.stop();
        });
  }

  /** Databases on the container's server, as its superuser. */
  private record ContainerDatabases(PostgreSQLContainer server) implements PostgresDatabases {

    private String hostAndPort() {
      return server.getHost() + ":" + server.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String jdbcUrl(String database) {
      return "jdbc:postgresql://" + hostAndPort() + "/" + database + "?user=postgres";
    }

    @Override
    public String r2dbcUrl(String database) {
      return "r2dbc:postgresql://postgres@" + hostAndPort() + "/" + database;
    }

    @Override
    public void createDatabase(String database) {
      try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"))) {
        PostgresDatabases.createIfAbsent(connection, database);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create database " + database, e);
      }
    }
  }
}
