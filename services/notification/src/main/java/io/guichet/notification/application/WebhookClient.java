package io.guichet.notification.application;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Posts a delivery to a partner's endpoint. */
public interface WebhookClient {

  /** Completes with the HTTP status, or exceptionally when no answer came (refused, timed out). */
  CompletableFuture<Integer> post(String url, Map<String, String> headers, String body);
}
