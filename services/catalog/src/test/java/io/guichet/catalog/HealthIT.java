package io.guichet.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.infra.embedded.EmbeddedKafka;
import io.guichet.infra.embedded.EmbeddedPostgresServer;
import io.guichet.infra.embedded.Ports;
import io.guichet.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A service's health follows its broker and its database: DOWN while either is stopped, UP again
 * when it is back. The catalog runs here on a broker and a PostgreSQL of its own, which this test
 * stops and starts again (the shared ones serve the other tests).
 */
class HealthIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void health_turns_down_without_the_broker_or_the_database_and_up_when_they_return()
      throws Exception {
    Path kafkaDir = Files.createDirectories(dir.resolve("kafka"));
    Path postgresDir = Files.createDirectories(dir.resolve("postgres"));
    int kafkaPort = Ports.orFree(0);
    int postgresPort = Ports.orFree(0);
    EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, kafkaPort);
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(postgresDir, postgresPort);
    postgres.createDatabase("catalog");
    ConfigurableApplicationContext catalog = null;
    try {
      catalog =
          CatalogApplication.application()
              .run(
                  "--server.port=0",
                  "--server.address=127.0.0.1",
                  "--guichet.catalog.bootstrap-servers=" + kafka.bootstrapServers(),
                  "--guichet.catalog.schema-registry-url="
                      + TestInfrastructure.get().schemaRegistryUrl(),
                  "--guichet.access.bootstrap-servers=" + kafka.bootstrapServers(),
                  "--guichet.access.schema-registry-url="
                      + TestInfrastructure.get().schemaRegistryUrl(),
                  "--spring.r2dbc.url=" + postgres.r2dbcUrl("catalog"),
                  "--spring.r2dbc.username=",
                  "--spring.r2dbc.password=");
      String health =
          "http://127.0.0.1:"
              + ((WebServerApplicationContext) catalog).getWebServer().getPort()
              + "/actuator/health";
      awaitHealth(health, "UP", "UP", "UP");

      kafka.close();
      awaitHealth(health, "DOWN", "DOWN", "UP");
      kafka = EmbeddedKafka.start(kafkaDir, kafkaPort);
      awaitHealth(health, "UP", "UP", "UP");

      postgres.close();
      awaitHealth(health, "DOWN", "UP", "DOWN");
      postgres = EmbeddedPostgresServer.start(postgresDir, postgresPort);
      awaitHealth(health, "UP", "UP", "UP");
    } finally {
      if (catalog != null) {
        catalog.close();
      }
      kafka.close();
      postgres.close();
    }
  }

  private static void awaitHealth(String url, String status, String broker, String database) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              HttpResponse<String> response =
                  HTTP.send(
                      HttpRequest.newBuilder(URI.create(url))
                          .timeout(Duration.ofSeconds(10))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              JsonNode health = JSON.readTree(response.body());
              assertThat(response.statusCode()).isEqualTo(status.equals("UP") ? 200 : 503);
              assertThat(health.get("status").asString()).isEqualTo(status);
              assertThat(health.at("/components/broker/status").asString()).isEqualTo(broker);
              assertThat(health.at("/components/r2dbc/status").asString()).isEqualTo(database);
            });
  }
}
