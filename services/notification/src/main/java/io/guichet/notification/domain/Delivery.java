package io.guichet.notification.domain;

import java.time.Instant;

/**
 * One fact delivered (or being delivered) to one endpoint.
 *
 * @param orderingKey deliveries of one key reach the endpoint in order
 * @param windowStart when its retries began: past the retry window it is dead-lettered
 */
public record Delivery(
    long seq,
    String deliveryId,
    String webhookId,
    String eventId,
    String eventType,
    String orderingKey,
    String payload,
    String status,
    int attempts,
    Integer lastStatusCode,
    String lastError,
    Instant createdAt,
    Instant windowStart,
    Instant nextAttemptAt,
    Instant deliveredAt) {}
