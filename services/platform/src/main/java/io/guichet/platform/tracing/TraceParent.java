package io.guichet.platform.tracing;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The W3C trace context ({@code traceparent}: version, trace id, parent span id, flags) carried
 * from an HTTP request to the Kafka records it caused, and from a consumed record to the records
 * its consumer writes, so that one trace id follows a purchase through every hop.
 *
 * <p>Inside a service it travels in the Reactor {@link Context} under {@link #CONTEXT_KEY}: the web
 * layer puts the request's span there, a consumer puts the record's header there, and whatever
 * publishes (the outbox, a producer) reads it with {@link #current()}. On Kafka it is the record
 * header {@value #HEADER}, as OpenTelemetry's Kafka instrumentation names it.
 */
public final class TraceParent {

  public static final String HEADER = "traceparent";
  public static final String CONTEXT_KEY = "guichet.traceparent";
  private static final Pattern W3C = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private TraceParent() {}

  /** A well-formed traceparent, or empty: a malformed header is ignored, never propagated. */
  public static Optional<String> valid(String traceparent) {
    return traceparent != null
            && W3C.matcher(traceparent).matches()
            && !traceparent.startsWith("00-00000000000000000000000000000000-")
        ? Optional.of(traceparent)
        : Optional.empty();
  }

  /** The traceparent of a Kafka record, if it has a valid one. */
  public static Optional<String> of(Headers headers) {
    Header header = headers.lastHeader(HEADER);
    return header == null || header.value() == null
        ? Optional.empty()
        : valid(new String(header.value(), StandardCharsets.US_ASCII));
  }

  /** Sets the record's traceparent header (replacing any). */
  public static void write(Headers headers, String traceparent) {
    headers.remove(HEADER);
    headers.add(HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
  }

  /** The traceparent in force where the returned Mono is subscribed, if any. */
  public static Mono<Optional<String>> current() {
    return Mono.deferContextual(context -> Mono.just(in(context)));
  }

  /** The traceparent of a Reactor context, if any. */
  public static Optional<String> in(ContextView context) {
    return context.<String>getOrEmpty(CONTEXT_KEY).flatMap(TraceParent::valid);
  }

  /** The context with this traceparent in force (unchanged when there is none). */
  public static Context with(Context context, Optional<String> traceparent) {
    return traceparent.map(value -> context.put(CONTEXT_KEY, value)).orElse(context);
  }

  /** The trace id part of a traceparent. */
  public static String traceId(String traceparent) {
    return traceparent.substring(3, 35);
  }

  /** A traceparent from its parts. */
  public static String of(String traceId, String spanId, boolean sampled) {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }
}
