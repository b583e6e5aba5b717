package io.guichet.web;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.HttpResources;

/**
 * Runs a Spring Boot service's server on Reactor Netty's one set of event loops per JVM, which the
 * service never disposes, with a connection pool of its own, which it does.
 *
 * <p>The standalone, the tests and the benchmark run several services in one JVM. With Boot's
 * default (the global resources, disposed with the context), closing one service disposed the loops
 * every other service ran on; with loops of its own, each service added four threads (the
 * standalone ran 16 of them to serve requests on a machine with two cores). These loops are the
 * ones the services' HTTP clients already use; their threads are daemons, and end with the JVM.
 */
@Configuration(proxyBeanMethods = false)
public class SharedNettyLoops {

  @Bean
  ReactorResourceFactory reactorResourceFactory() {
    ReactorResourceFactory resources = new ReactorResourceFactory();
    resources.setUseGlobalResources(false);
    // Given, not made: the factory leaves them running when its context closes.
    resources.setLoopResources(HttpResources.get());
    // The connection pool is made and disposed by the factory, after the server stopped taking
    // requests: nothing is left to drain, and Netty's default quiet period (2 s) was most of a
    // service's stop.
    resources.setShutdownQuietPeriod(Duration.ZERO);
    resources.setShutdownTimeout(Duration.ofSeconds(5));
    return resources;
  }
}
