package io.guichet.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The catalog's settings ({@code guichet.catalog.*}).
 *
 * @param bootstrapServers the Kafka cluster its outbox is relayed to
 * @param schemaRegistryUrl the schema registry
 * @param salesCloseCheck the longest wait between two looks for sales due to close (a look is made
 *     when the earliest planned close comes, and when the catalog changes)
 */
@ConfigurationProperties("guichet.catalog")
public record CatalogProperties(
    String bootstrapServers, String schemaRegistryUrl, Duration salesCloseCheck) {}
