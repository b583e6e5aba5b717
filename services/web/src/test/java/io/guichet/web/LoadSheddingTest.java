package io.guichet.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class LoadSheddingTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final LoadShedding.Filter filter =
      new LoadShedding.Filter(
          new LoadShedding.Settings(2, 1, false, Duration.ofSeconds(3)), meters);

  /** A command whose handler goes on until {@code done} is told to finish. */
  private Mono<Void> command(Sinks.Empty<Void> done) {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.post("/reservations"));
    return filter.filter(exchange, served -> done.asMono());
  }

  @Test
  void refuses_a_command_past_the_bound_at_once_with_a_problem_and_retry_after() {
    Sinks.Empty<Void> first = Sinks.empty();
    Sinks.Empty<Void> second = Sinks.empty();
    command(first).subscribe();
    command(second).subscribe();
    assertThat(filter.inFlight()).isEqualTo(2);

    MockServerWebExchange third =
        MockServerWebExchange.from(MockServerHttpRequest.post("/reservations"));
    boolean[] reachedHandler = {false};
    filter
        .filter(
            third,
            served -> {
              reachedHandler[0] = true;
              return Mono.empty();
            })
        .block(Duration.ofSeconds(1));

    assertThat(reachedHandler[0]).isFalse();
    assertThat(third.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(third.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("3");
    assertThat(third.getResponse().getHeaders().getContentType())
        .hasToString("application/problem+json");
    assertThat(third.getResponse().getBodyAsString().block())
        .contains("\"status\":503", "/problems/unavailable");
    assertThat(meters.counter(LoadShedding.SHED_METER).count()).isEqualTo(1);
    assertThat(filter.inFlight()).isEqualTo(2);
  }

  @Test
  void a_finished_command_frees_its_place_whether_it_succeeded_or_failed() {
    Sinks.Empty<Void> first = Sinks.empty();
    Sinks.Empty<Void> second = Sinks.empty();
    command(first).subscribe();
    command(second).onErrorResume(e -> Mono.empty()).subscribe();

    first.tryEmitEmpty();
    second.tryEmitError(new IllegalStateException("the handler failed"));

    assertThat(filter.inFlight()).isZero();
    Sinks.Empty<Void> third = Sinks.empty();
    command(third).subscribe();
    assertThat(filter.inFlight()).isEqualTo(1);
  }

  @Test
  void reads_and_event_streams_are_not_counted() {
    for (int i = 0; i < 5; i++) {
      MockServerWebExchange read =
          MockServerWebExchange.from(MockServerHttpRequest.get("/reservations/r-1/events"));
      filter.filter(read, served -> Mono.never()).subscribe();
    }
    assertThat(filter.inFlight()).isZero();
    Sinks.Empty<Void> command = Sinks.empty();
    command(command).subscribe();
    assertThat(filter.inFlight()).isEqualTo(1);
  }
}
