package io.guichet.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The catalog's settings ({@code guichet.catalog.*}).
 *
 * @param bootstrapServers the Kafka cluster its outbox is relayed to
 * @param schemaRegistryUrl the schema registry
 * @param salesCloseCheck how often sales due to close are looked for
 */
@ConfigurationProperties("guichet.catalog")
public record CatalogProperties(
    String bootstrapServers, String schemaRegistryUrl, Duration salesCloseCheck) {}
