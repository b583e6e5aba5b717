package io.guichet.web;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * A bounded amount of command work in flight: past the bound, a command (POST, PUT, PATCH, DELETE)
 * is refused at once with a 503 problem and {@code Retry-After}, before any token check, body read
 * or publication. A request that waits in a socket for seconds helps nobody (the buyer reloads, and
 * the reload is one more request); a fast 503 tells the client to come back, and the requests that
 * are served keep their latency. Reads (GET, and the long-lived event streams) are not counted.
 *
 * <p>The bound adapts (Netflix's concurrency-limits, Gradient2): it follows the latency of the
 * commands served, shrinking when it grows past its long-run level (the machine is saturated, a
 * downstream is slow) and growing back when it falls, between {@code min-in-flight} and {@code
 * max-in-flight}. A fixed bound cannot do that: on a saturated machine a fixed number of requests
 * in flight still queues in the sockets, since every refusal costs CPU too. {@code adaptive: false}
 * keeps the bound at {@code max-in-flight}. Every Guichet HTTP service gets it (Spring Boot
 * auto-configuration); the settings are per service ({@code guichet.web.load-shedding.*}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoadShedding.Settings.class)
public class LoadShedding {

  /**
   * @param maxInFlight most commands served at once by this instance
   * @param minInFlight fewest the adaptive bound goes down to
   * @param adaptive whether the bound follows latency (else it stays at {@code maxInFlight})
   * @param retryAfter what the 503's {@code Retry-After} says
   */
  @ConfigurationProperties("guichet.web.load-shedding")
  public record Settings(
      @DefaultValue("256") int maxInFlight,
      @DefaultValue("4") int minInFlight,
      @DefaultValue("true") boolean adaptive,
      @DefaultValue("1s") Duration retryAfter) {

    public Settings {
      if (maxInFlight < 1 || minInFlight < 1 || minInFlight > maxInFlight) {
        throw new IllegalArgumentException(
            "guichet.web.load-shedding: 1 <= min-in-flight <= max-in-flight");
      }
    }
  }

  /** The commands it counts: the methods that change something. */
  static final Set<HttpMethod> COMMANDS =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  /** Refusals, for the dashboards: {@code guichet_http_shed_total}. */
  public static final String SHED_METER = "guichet.http.shed";

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 1)
  WebFilter boundedCommandsInFlight(Settings settings, ObjectProvider<MeterRegistry> meters) {
    return new Filter(settings, meters.getIfAvailable());
  }

  /** The filter itself; public so that a service without Boot's auto-configuration can use it. */
  public static final class Filter implements WebFilter {

    private final SimpleLimiter<Void> limiter;
    private final Duration retryAfter;
    private final Counter shed;

    public Filter(Settings settings, MeterRegistry registry) {
      Limit limit =
          settings.adaptive()
              ? Gradient2Limit.newBuilder()
                  .initialLimit(Math.max(settings.minInFlight(), settings.maxInFlight() / 4))
                  .minLimit(settings.minInFlight())
                  .maxConcurrency(settings.maxInFlight())
                  .build()
              : FixedLimit.of(settings.maxInFlight());
      this.limiter = SimpleLimiter.newBuilder().limit(limit).build();
      this.retryAfter = settings.retryAfter();
      if (registry != null) {
        Gauge.builder("guichet.http.in.flight", limiter, SimpleLimiter::getInflight)
            .description("Commands being served by this instance")
            .register(registry);
        Gauge.builder("guichet.http.in.flight.limit", limiter, SimpleLimiter::getLimit)
            .description("Commands this instance serves at once before it sheds load")
            .register(registry);
        this.shed =
            Counter.builder(SHED_METER)
                .description("Commands refused with 503 because too many were in flight")
                .register(registry);
      } else {
        this.shed = null;
      }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
      if (!COMMANDS.contains(exchange.getRequest().getMethod())) {
        return chain.filter(exchange);
      }
      Optional<Limiter.Listener> admitted = limiter.acquire(null);
      if (admitted.isEmpty()) {
        if (shed != null) {
          shed.increment();
        }
        return Problems.write(
            exchange.getResponse(),
            Problems.unavailable(
                "Too many requests are being served right now; retry after the time given.",
                retryAfter));
      }
      Limiter.Listener listener = admitted.get();
      // Only a command that ran to its end says how long one takes; a failed or abandoned one
      // frees its place without teaching the limit anything.
      return chain
          .filter(exchange)
          .doFinally(
              signal -> {
                if (signal == SignalType.ON_COMPLETE) {
                  listener.onSuccess();
                } else {
                  listener.onIgnore();
                }
              });
    }

    /** Commands being served now. */
    public int inFlight() {
      return limiter.getInflight();
    }

    /** The present bound. */
    public int limit() {
      return limiter.getLimit();
    }
  }
}
