package io.guichet.gate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gate's settings ({@code guichet.gate.*}).
 *
 * @param consumerGroup the group (and stored positions) of its projection of tickets
 */
@ConfigurationProperties("guichet.gate")
public record GateProperties(
    String bootstrapServers, String schemaRegistryUrl, String consumerGroup) {}
