package io.guichet.notification.application;

import io.guichet.notification.domain.Delivery;
import io.guichet.notification.domain.Webhook;
import io.guichet.web.PageRequest;
import io.guichet.web.PageRequest.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/** Partners' endpoints and their deliveries. */
public interface WebhookStore {

  Mono<Void> create(Webhook webhook, byte[] sealedSecret);

  Mono<Page<Webhook>> webhooks(PageRequest page);

  Mono<Webhook> webhook(String webhookId);

  /** Stops deliveries to it (those waiting are dead-lettered when due); false if unknown. */
  Mono<Boolean> deactivate(String webhookId);

  Mono<byte[]> sealedSecret(String webhookId);

  /**
   * Claims up to {@code max} deliveries due now whose earlier deliveries of the same key are all
   * delivered or dead: each key's deliveries go out one at a time, in order.
   */
  Mono<List<Delivery>> claimDue(int max, Instant now);

  Mono<Void> delivered(String deliveryId, int statusCode, Instant at);

  Mono<Void> retryAt(String deliveryId, Integer statusCode, String error, Instant next);

  Mono<Void> dead(String deliveryId, Integer statusCode, String error);

  /** The endpoint's deliveries, newest first; status narrows them when not null. */
  Mono<Page<Delivery>> deliveries(String webhookId, String status, PageRequest page);

  Mono<Delivery> delivery(String webhookId, String deliveryId);

  /** A dead or delivered delivery goes out again, with a new retry window; false otherwise. */
  Mono<Boolean> replay(String webhookId, String deliveryId, Instant now);

  /** Deliveries claimed longer ago than this (their dispatcher stopped) are due again. */
  Mono<Long> releaseStale(Duration claimedFor, Instant now);
}
