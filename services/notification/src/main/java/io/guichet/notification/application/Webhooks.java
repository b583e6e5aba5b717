package io.guichet.notification.application;

import io.guichet.notification.domain.Webhook;
import io.guichet.platform.secrets.SecretBox;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Registering partners' endpoints: each gets a secret of its own, shown once. */
public final class Webhooks {

  /** A registered endpoint and its signing secret (Base64url), which is never shown again. */
  public record Registered(Webhook webhook, String secret) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookStore store;
  private final SecretBox secrets;
  private final Clock clock;

  public Webhooks(WebhookStore store, SecretBox secrets, Clock clock) {
    this.store = store;
    this.secrets = secrets;
    this.clock = clock;
  }

  public Mono<Registered> register(
      String url, List<String> eventTypes, String description, String createdBy) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    Webhook webhook =
        new Webhook(
            "wh-" + UUID.randomUUID(),
            url,
            eventTypes,
            description,
            true,
            createdBy,
            clock.instant());
    return store
        .create(webhook, secrets.seal(secret))
        .thenReturn(
            new Registered(
                webhook, Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
  }
}
