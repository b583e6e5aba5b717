package io.guichet.notification.domain;

import java.time.Instant;
import java.util.List;

/** A partner's endpoint and the event types it receives. */
public record Webhook(
    String webhookId,
    String url,
    List<String> eventTypes,
    String description,
    boolean active,
    String createdBy,
    Instant createdAt) {

  public Webhook {
    eventTypes = List.copyOf(eventTypes);
  }
}
