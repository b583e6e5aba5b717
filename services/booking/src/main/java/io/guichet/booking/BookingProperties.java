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
 * @param idempotencyKeys how long idempotency keys are kept
 * @param waitingRoom the waiting rooms' settings
 */
@ConfigurationProperties("guichet.booking")
public record BookingProperties(
    String bootstrapServers,
    String schemaRegistryUrl,
    Allocator allocator,
    Status status,
    IdempotencyKeys idempotencyKeys,
    WaitingRoom waitingRoom) {

  /**
   * @param passKey the key admission passes are signed and checked with (URL-safe Base64, at least
   *     32 bytes): every booking instance must have the same
   * @param consumerGroup the group (and stored positions) of the rooms' writer of places
   * @param tick how often rooms admit
   * @param adaptiveCeilingPerSecond most buyers an adaptive room admits per second
   */
  public record WaitingRoom(
      String passKey, String consumerGroup, Duration tick, int adaptiveCeilingPerSecond) {}

  /**
   * @param retention how long a key returns its first answer (Stripe keeps them 24 hours)
   * @param sweepEvery how often older keys are deleted
   */
  public record IdempotencyKeys(Duration retention, Duration sweepEvery) {}

  /**
   * @param consumerGroup the projection's consumer group (and the name its positions are kept
   *     under)
   * @param followTimeout how long an event stream waits for a reservation it does not know yet
   */
  public record Status(String consumerGroup, Duration followTimeout) {}

  /**
   * @param applicationId the allocator's consumer group, the prefix of its internal topics and of
   *     its transactional id
   * @param stateDir where the allocator keeps its instance id (its state is in memory and in its
   *     changelog topic)
   * @param hold how long seats are held unpaid
   * @param expiryCheck how often ended holds are looked for
   * @param replicationFactor of its internal topics
   * @param clients further Kafka client properties, {@code consumer.<name>} or {@code
   *     producer.<name>}
   */
  public record Allocator(
      String applicationId,
      Path stateDir,
      Duration hold,
      Duration expiryCheck,
      int replicationFactor,
      Map<String, String> clients) {}
}
