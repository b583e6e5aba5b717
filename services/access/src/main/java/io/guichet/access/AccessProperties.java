package io.guichet.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a service reads identity's public keys ({@code guichet.access.*}), how much clock
 * difference it tolerates on a token's times, and the longest lifetime a token may claim (identity
 * issues 15-minute tokens: one that claims longer was not made by identity's rules).
 */
@ConfigurationProperties("guichet.access")
public record AccessProperties(
    String bootstrapServers,
    String schemaRegistryUrl,
    @DefaultValue("30s") Duration clockSkew,
    @DefaultValue("15m") Duration maxTokenLifetime) {}
