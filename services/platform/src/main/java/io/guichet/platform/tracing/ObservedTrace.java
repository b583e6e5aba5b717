package io.guichet.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.util.Optional;

/** The trace context of a Micrometer observation, as a {@link TraceParent}, if it is traced. */
public final class ObservedTrace {

  private ObservedTrace() {}

  public static Optional<String> traceparent(Observation observation) {
    TracingObservationHandler.TracingContext tracing =
        observation.getContext().get(TracingObservationHandler.TracingContext.class);
    Span span = tracing == null ? null : tracing.getSpan();
    if (span == null) {
      return Optional.empty();
    }
    TraceContext trace = span.context();
    return TraceParent.valid(
        TraceParent.of(trace.traceId(), trace.spanId(), Boolean.TRUE.equals(trace.sampled())));
  }
}
