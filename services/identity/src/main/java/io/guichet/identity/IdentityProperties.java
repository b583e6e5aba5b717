package io.guichet.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code guichet.identity.*}. The master key seals signing keys and TOTP secrets at rest and has no
 * default (the standalone mode generates one). The first administrator is created from {@code
 * admin-email} and {@code admin-password} when both are set and that email has no account.
 */
@ConfigurationProperties("guichet.identity")
public record IdentityProperties(
    String bootstrapServers,
    String schemaRegistryUrl,
    String masterKey,
    @DefaultValue("15m") Duration accessTokenLifetime,
    @DefaultValue("7d") Duration refreshTokenLifetime,
    @DefaultValue("7d") Duration keyRotation,
    String adminEmail,
    String adminPassword) {}
