package io.guichet.query.adapter.in.web;

import io.guichet.web.FieldError;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;

/** What the views' endpoints share: filters checked the same way, and keep-alive comments. */
final class ViewRequests {

  /** How often a quiet event stream sends a comment, so proxies keep it open. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private ViewRequests() {}

  /** A filter among named values (any case): null when absent, or an error naming the choices. */
  static <E extends Enum<E>> E oneOf(
      String name, String value, Class<E> type, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(
          new FieldError(
              name,
              "must be one of "
                  + Arrays.stream(type.getEnumConstants())
                      .map(Enum::name)
                      .collect(Collectors.joining(", "))));
      return null;
    }
  }

  /**
   * The stream with a keep-alive comment first (so that the response's headers go out at once, not
   * with the first event) and then every {@link #HEARTBEAT}.
   */
  static Flux<ServerSentEvent<Object>> withHeartbeats(Flux<ServerSentEvent<Object>> events) {
    ServerSentEvent<Object> end = ServerSentEvent.builder().comment("end").build();
    Flux<ServerSentEvent<Object>> heartbeats =
        Flux.interval(Duration.ZERO, HEARTBEAT)
            .map(tick -> ServerSentEvent.<Object>builder().comment("keep-alive").build());
    return Flux.merge(events.concatWith(Flux.just(end)), heartbeats)
        .takeWhile(event -> event != end);
  }
}
