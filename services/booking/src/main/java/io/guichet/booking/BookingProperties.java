package io.guichet.booking;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Booking's settings ({@code guichet.booking.*}).
 *
 * @param bootstrapServers the Kafka cluster
 * @param schemaRegistryUrl the schema registry
 * @param allocator the allocator's settings
 * @param status the reservation status projection's settings
 */
@ConfigurationProperties("guichet.booking")
public record BookingProperties(
    String bootstrapServers, String schemaRegistryUrl, Allocator allocator, Status status) {

  /**
   * @param consumerGroup the projection's consumer group (and the name its positions are kept
   *     under)
   * @param followTimeout how long an event stream waits for a reservation it does not know yet
   */
  public record Status(String consumerGroup, Duration followTimeout) {}

  /**
   * @param applicationId Kafka Streams application id (its group and internal topic prefix)
   * @param stateDir where its stores live locally
   * @param hold how long seats are held unpaid
   * @param expiryCheck how often ended holds are looked for
   * @param replicationFactor of its internal topics
   * @param streams further Kafka Streams properties
   */
  public record Allocator(
      String applicationId,
      Path stateDir,
      Duration hold,
      Duration expiryCheck,
      int replicationFactor,
      Map<String, String> streams) {}
}
