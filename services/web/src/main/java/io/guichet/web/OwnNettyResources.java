package io.guichet.web;

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
    return resources;
  }
}
