package io.guichet.gate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gate's settings ({@code guichet.gate.*}).
 *
 * @param consumerGroup the group (and stored positions) of its projection of tickets
 * @param ticketCodeKey opens each ticket's rotating-code key, sealed by ticketing in TicketIssued
 *     (32 bytes, Base64; TICKET_CODE_KEY, the same as ticketing's)
 */
@ConfigurationProperties("guichet.gate")
public record GateProperties(
    String bootstrapServers,
    String schemaRegistryUrl,
    String consumerGroup,
    String ticketCodeKey) {}
