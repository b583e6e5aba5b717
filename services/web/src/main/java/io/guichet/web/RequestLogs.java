package io.guichet.web;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.core.publisher.Mono;

/**
 * Log lines written while a request is served, with the request's trace id (and span id) in the
 * logging context, as the logs' format expects.
 *
 * <p>Services run Reactor with limited context propagation ({@code
 * spring.reactor.context-propagation: limited}, in {@code management.yml}): the request's
 * observation travels in the Reactor context, which is what the outbox and the producers read for
 * their records' {@code traceparent}, and is not copied into thread-locals at every operator.
 * Automatic propagation did that copy around every operator of every request, and took a third of
 * booking's front door throughput (see the root README). A line logged inside an operator therefore
 * has no trace id of its own; a line logged through {@link #logged} is written with the request's
 * thread-locals restored from the Reactor context for the time of the call.
 */
public final class RequestLogs {

  private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

  private RequestLogs() {}

  /**
   * Writes {@code log} with the request's trace in the logging context, then goes on with {@code
   * then}: {@code .onErrorResume(e -> RequestLogs.logged(() -> LOG.warn("...", e), answer))}.
   */
  public static <T> Mono<T> logged(Runnable log, Mono<T> then) {
    return Mono.deferContextual(
        context -> {
          try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
            log.run();
          }
          return then;
        });
  }
}
