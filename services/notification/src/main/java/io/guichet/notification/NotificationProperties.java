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
    short topicReplicationFactor) {}
