package io.guichet.platform.standalone;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What the standalone runner hands a service.
 *
 * @param kafkaBootstrapServers the broker
 * @param schemaRegistryUrl the registry
 * @param postgresR2dbcUrl database name to R2DBC URL; the database exists once this returns
 * @param postgresJdbcUrl database name to JDBC URL (for migrations); the database exists once this
 *     returns
 * @param dataDir the service's own directory for local state (the allocator's instance id, for
 *     example)
 * @param secrets development secrets, generated on first use and kept in the data directory
 * @param httpPort the port the service's HTTP side listens on (0: any free port)
 * @param managementPort where a service whose actuator is kept off its API's port (the gateway, the
 *     one public port) shows health with details and metrics (0: any free port)
 * @param serviceUrls the HTTP base URL of each service started before this one, by name (what the
 *     gateway routes to)
 */
public record StandaloneEnvironment(
    String kafkaBootstrapServers,
    String schemaRegistryUrl,
    Function<String, String> postgresR2dbcUrl,
    Function<String, String> postgresJdbcUrl,
    Path dataDir,
    DevelopmentSecrets secrets,
    int httpPort,
    int managementPort,
    Map<String, String> serviceUrls) {

  public StandaloneEnvironment {
    serviceUrls = Map.copyOf(serviceUrls);
  }
}
