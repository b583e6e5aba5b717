package io.guichet.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The registry's settings ({@code guichet.registry.*}).
 *
 * @param bootstrapServers the Kafka cluster that holds the schema log
 * @param topic the schema log topic ({@code _schemas}, as Confluent's)
 * @param replicationFactor replicas of the schema log topic when the registry creates it
 * @param defaultCompatibility the global level until one is set through {@code PUT /config}
 * @param timeout how long one Kafka operation may take
 */
@ConfigurationProperties("guichet.registry")
public record RegistryProperties(
    String bootstrapServers,
    String topic,
    short replicationFactor,
    String defaultCompatibility,
    Duration timeout) {}
