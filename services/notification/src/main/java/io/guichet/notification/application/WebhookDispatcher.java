package io.guichet.notification.application;

import io.guichet.notification.domain.Delivery;
import io.guichet.notification.domain.WebhookSignature;
import io.guichet.platform.secrets.SecretBox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks: claims due deliveries (one at a time per endpoint and key, in order), signs
 * and posts them concurrently, and records each outcome. A 2xx answer delivers; anything else is
 * retried with exponential backoff (doubling from the first delay up to the largest) until the
 * retry window (24 hours by default) has passed since its first attempt, then dead-lettered.
 */
public final class WebhookDispatcher implements AutoCloseable {

  /**
   * How retries are spaced and for how long.
   *
   * @param window how long a delivery is retried before it is dead-lettered
   */
  private static final Duration LOOK_EVERY = Duration.ofSeconds(5);

  public record Backoff(Duration first, Duration max, Duration window) {

    /** When to try again after this many failed attempts, or null past the window. */
    Instant next(int attempts, Instant windowStart, Instant now) {
      if (!now.isBefore(windowStart.plus(window))) {
        return null;
      }
      long factor = 1L << Math.min(30, Math.max(0, attempts - 1));
      Duration delay = first.multipliedBy(factor);
      return now.plus(delay.compareTo(max) > 0 ? max : delay);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int BATCH = 50;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration STALE = Duration.ofMinutes(2);

  private final WebhookStore store;
  private final WebhookClient client;
  private final DeadLetters deadLetters;
  private final SecretBox secrets;
  private final Backoff backoff;
  private final Clock clock;
  private final Map<String, byte[]> openSecrets = new ConcurrentHashMap<>();
  private final WorkLoop loop;

  public WebhookDispatcher(
      WebhookStore store,
      WebhookClient client,
      DeadLetters deadLetters,
      SecretBox secrets,
      Backoff backoff,
      Clock clock) {
    this.store = store;
    this.client = client;
    this.deadLetters = deadLetters;
    this.secrets = secrets;
    this.backoff = backoff;
    this.clock = clock;
    this.loop =
        new WorkLoop(
            "webhook-dispatcher",
            // New deliveries nudge it; the period only finds retries come due and deliveries
            // another instance left: as often as the first retry's delay, at most every 5 s (a
            // retry due is sent at most that late; every second was a share of an idle CPU).
            backoff.first().compareTo(LOOK_EVERY) < 0 ? backoff.first() : LOOK_EVERY,
            () -> dispatchDue() == BATCH,
            () -> store.releaseStale(STALE, clock.instant()).block(WAIT));
  }

  public WebhookDispatcher start() {
    loop.start();
    return this;
  }

  /** Deliveries may be due. */
  public void nudge() {
    loop.nudge();
  }

  /** Posts the deliveries due now; answers how many it claimed. */
  int dispatchDue() {
    List<Delivery> due = store.claimDue(BATCH, clock.instant()).block(WAIT);
    if (due == null || due.isEmpty()) {
      return 0;
    }
    Map<Delivery, CompletableFuture<Integer>> posted = new HashMap<>();
    for (Delivery delivery : due) {
      posted.put(delivery, post(delivery));
    }
    posted.forEach(this::record);
    return due.size();
  }

  private CompletableFuture<Integer> post(Delivery delivery) {
    try {
      byte[] secret =
          openSecrets.computeIfAbsent(
              delivery.webhookId(),
              id -> secrets.open(store.sealedSecret(id).blockOptional(WAIT).orElseThrow()));
      String url = store.webhook(delivery.webhookId()).blockOptional(WAIT).orElseThrow().url();
      Map<String, String> headers = new HashMap<>();
      headers.put(
          WebhookSignature.HEADER,
          WebhookSignature.header(secret, clock.instant().getEpochSecond(), delivery.payload()));
      headers.put("Guichet-Delivery-Id", delivery.deliveryId());
      headers.put("Guichet-Event-Id", delivery.eventId());
      headers.put("Guichet-Event-Type", delivery.eventType());
      headers.put("Guichet-Attempt", Integer.toString(delivery.attempts() + 1));
      return client.post(url, headers, delivery.payload());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void record(Delivery delivery, CompletableFuture<Integer> answer) {
    Integer status = null;
    String error;
    try {
      status = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (status >= 200 && status < 300) {
        store.delivered(delivery.deliveryId(), status, clock.instant()).block(WAIT);
        return;
      }
      error = "the endpoint answered " + status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
    Instant now = clock.instant();
    Instant next = backoff.next(delivery.attempts() + 1, delivery.windowStart(), now);
    if (next != null) {
      store.retryAt(delivery.deliveryId(), status, error, next).block(WAIT);
    } else {
      LOG.warn("webhook delivery {} dead-lettered: {}", delivery.deliveryId(), error);
      deadLetters.deadLetter(delivery, error);
      store.dead(delivery.deliveryId(), status, error).block(WAIT);
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
