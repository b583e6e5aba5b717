package io.guichet.web;

import io.guichet.platform.tracing.ObservedTrace;
import io.guichet.platform.tracing.TraceParent;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Optional;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Hands the HTTP request's span to whatever the request publishes. Spring observes every request
 * (OpenTelemetry, through Micrometer Tracing): the span continues the caller's {@code traceparent}
 * or starts a trace. This filter puts that span's trace context in the Reactor context as a {@link
 * TraceParent}, where the outbox and the producers read it to set their records' headers, and
 * answers the trace id in {@value #TRACE_ID_HEADER}, so that a caller can quote it. Every Guichet
 * HTTP service gets it (Spring Boot auto-configuration).
 */
@Configuration(proxyBeanMethods = false)
public class RequestTracing {

  public static final String TRACE_ID_HEADER = "X-Trace-Id";

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  WebFilter traceContextCarried() {
    return (exchange, chain) ->
        Mono.deferContextual(
            context -> {
              Optional<String> traceparent = ofRequest(context);
              traceparent.ifPresent(
                  value ->
                      exchange
                          .getResponse()
                          .beforeCommit(
                              () -> {
                                exchange
                                    .getResponse()
                                    .getHeaders()
                                    .set(TRACE_ID_HEADER, TraceParent.traceId(value));
                                return Mono.empty();
                              }));
              return chain
                  .filter(exchange)
                  .contextWrite(inner -> TraceParent.with(inner, traceparent));
            });
  }

  /**
   * Leaves out OpenTelemetry's batch processors for spans and for log records when nothing exports
   * them (no OTLP endpoint configured, the default): each runs a thread of its own that wakes every
   * second or five to export to no one, twenty threads in the standalone's ten services. Spans are
   * still made, so requests still get trace ids and pass them on; configuring an endpoint brings
   * the exporter, and with it the processor, back.
   */
  @Bean
  static BeanFactoryPostProcessor noExportThreadWithoutExporter() {
    return beanFactory -> {
      if (beanFactory instanceof BeanDefinitionRegistry registry) {
        removeUnless(beanFactory, registry, SpanExporter.class, BatchSpanProcessor.class);
        removeUnless(beanFactory, registry, LogRecordExporter.class, BatchLogRecordProcessor.class);
      }
    };
  }

  private static void removeUnless(
      ConfigurableListableBeanFactory beans,
      BeanDefinitionRegistry registry,
      Class<?> exporter,
      Class<?> processor) {
    if (beans.getBeanNamesForType(exporter, true, false).length > 0) {
      return;
    }
    for (String name : beans.getBeanNamesForType(processor, true, false)) {
      if (registry.containsBeanDefinition(name)) {
        registry.removeBeanDefinition(name);
      }
    }
  }

  /** The trace context of the request's observation, if it is traced. */
  static Optional<String> ofRequest(ContextView context) {
    Object current = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
    return current instanceof Observation observation
        ? ObservedTrace.traceparent(observation)
        : Optional.empty();
  }
}
