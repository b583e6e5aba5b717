package io.guichet.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The catalog's settings ({@code guichet.catalog.*}).
 *
 * @param bootstrapServers the Kafka cluster its outbox is relayed to
 * @param schemaRegistryUrl the schema registry
 */
@ConfigurationProperties("guichet.catalog")
public record CatalogProperties(String bootstrapServers, String schemaRegistryUrl) {}
