package io.guichet.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a service reads identity's public keys ({@code guichet.access.*}), and how much clock
 * difference it tolerates on a token's times.
 */
@ConfigurationProperties("guichet.access")
public record AccessProperties(
    String bootstrapServers, String schemaRegistryUrl, @DefaultValue("30s") Duration clockSkew) {}
