package io.guichet.notification;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The notification service's settings ({@code guichet.notification.*}).
 *
 * @param consumerGroup the group (and stored positions) of its projection of facts, and the prefix
 *     of its retry consumers' groups
 * @param from the emails' sender
 * @param publicUrl where buyers reach Guichet, for the emails' links
 * @param retryDelays one retry topic per delay, in order; then the dead-letter topic
 * @param masterKey seals partners' webhook secrets at rest (32 random bytes, Base64)
 * @param webhooks how webhook deliveries are retried
 */
@ConfigurationProperties("guichet.notification")
public record NotificationProperties(
    String bootstrapServers,
    String schemaRegistryUrl,
    String consumerGroup,
    String from,
    String publicUrl,
    List<Duration> retryDelays,
    int topicPartitions,
    short topicReplicationFactor,
    String masterKey,
    WebhookSettings webhooks) {

  /**
   * @param firstRetry the delay after the first failure, doubled after each next one
   * @param maxRetry the longest delay between two attempts
   * @param retryWindow how long a delivery is retried before it is dead-lettered
   * @param timeout how long an endpoint has to answer
   * @param allowPlainHttp whether endpoints may be http:// (development); otherwise https:// only
   * @param allowedNetworks internal networks (CIDRs) endpoints may be in all the same: none by
   *     default (loopback, private, link-local and metadata addresses are refused); the standalone
   *     allows loopback, for receivers on the same machine
   */
  public record WebhookSettings(
      Duration firstRetry,
      Duration maxRetry,
      Duration retryWindow,
      Duration timeout,
      boolean allowPlainHttp,
      List<String> allowedNetworks) {

    public WebhookSettings {
      allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
    }
  }
}
