package io.guichet.ticketing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Ticketing's settings ({@code guichet.ticketing.*}).
 *
 * @param bootstrapServers the Kafka cluster
 * @param schemaRegistryUrl the schema registry
 * @param consumerGroup the group (and stored positions) of its consumer of confirmations, refunds
 *     and cancellations
 * @param masterKey seals the keys ticketing keeps (32 bytes, Base64; TICKETING_MASTER_KEY)
 * @param ticketCodeKey seals each ticket's rotating-code key in its TicketIssued for the gate,
 *     which holds the same key (32 bytes, Base64; TICKET_CODE_KEY)
 */
@ConfigurationProperties("guichet.ticketing")
public record TicketingProperties(
    String bootstrapServers,
    String schemaRegistryUrl,
    String consumerGroup,
    String masterKey,
    String ticketCodeKey) {}
