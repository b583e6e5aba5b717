package io.guichet.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * A bounded amount of command work in flight: past {@code max-in-flight} commands (POST, PUT,
 * PATCH, DELETE) being served at once, a command is refused at once with a 503 problem and {@code
 * Retry-After}, before any token check, body read or publication. A request that waits in a socket
 * for seconds helps nobody (the buyer reloads, and the reload is one more request); a fast 503
 * tells the client to come back, and the requests that are served keep their latency. Reads (GET,
 * and the long-lived event streams) are not counted. Every Guichet HTTP service gets it (Spring
 * Boot auto-configuration); the setting is per service ({@code guichet.web.load-shedding.*}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoadShedding.Settings.class)
public class LoadShedding {

  /**
   * @param maxInFlight commands served at once by this instance; more are refused with 503
   * @param retryAfter what the 503's {@code Retry-After} says
   */
  @ConfigurationProperties("guichet.web.load-shedding")
  public record Settings(
      @DefaultValue("256") int maxInFlight, @DefaultValue("1s") Duration retryAfter) {

    public Settings {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("guichet.web.load-shedding.max-in-flight must be >= 1");
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

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int max;
    private final Duration retryAfter;
    private final Counter shed;

    public Filter(Settings settings, MeterRegistry registry) {
      this.max = settings.maxInFlight();
      this.retryAfter = settings.retryAfter();
      if (registry != null) {
        Gauge.builder("guichet.http.in.flight", inFlight, AtomicInteger::get)
            .description("Commands being served by this instance")
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
      if (inFlight.incrementAndGet() > max) {
        inFlight.decrementAndGet();
        if (shed != null) {
          shed.increment();
        }
        return Problems.write(
            exchange.getResponse(),
            Problems.unavailable(
                "Too many requests are being served right now; retry after the time given.",
                retryAfter));
      }
      return chain.filter(exchange).doFinally(signal -> inFlight.decrementAndGet());
    }

    /** Commands being served now. */
    public int inFlight() {
      return inFlight.get();
    }
  }
}
