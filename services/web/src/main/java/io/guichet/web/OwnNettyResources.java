package io.guichet.web;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives a Spring Boot service event loops of its own instead of Reactor Netty's global ones. The
 * standalone, the tests and the benchmark run several services in one JVM; with the global
 * resources, closing one service disposes the loops every other service's server runs on.
 */
@Configuration(proxyBeanMethods = false)
public class OwnNettyResources {

  @Bean
  ReactorResourceFactory reactorResourceFactory() {
    ReactorResourceFactory resources = new ReactorResourceFactory();
    resources.setUseGlobalResources(false);
    // Disposed after the server stopped taking requests: nothing is left to drain, and Netty's
    // default quiet period (2 s with no task before the loops end) was most of a service's stop.
    resources.setShutdownQuietPeriod(Duration.ZERO);
    resources.setShutdownTimeout(Duration.ofSeconds(5));
    return resources;
  }
}
