package io.guichet.registry;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * The registry's server on an event loop of its own (one thread, made and disposed with its
 * context), not on the loops the services of its JVM share ({@code web.SharedNettyLoops}). Its
 * handlers never block (a registration waits for the schema log's append without holding the loop),
 * and services ask it a few dozen questions at their start, then rarely.
 *
 * <p>A service's serializer asks the registry for a schema's id the first time it writes that
 * schema, and waits for the answer on the thread that writes the record, often an event loop of its
 * own server. When the registry served on those same loops (the standalone, the tests), the
 * question could reach the very loop that was waiting for its answer: nothing moved until the
 * client's 10 s timeout. A test's first join of a waiting room timed out that way.
 */
@Configuration(proxyBeanMethods = false)
class RegistryNettyLoops {

  @Bean
  ReactorResourceFactory reactorResourceFactory() {
    ReactorResourceFactory resources = new ReactorResourceFactory();
    resources.setUseGlobalResources(false);
    resources.setLoopResourcesSupplier(() -> LoopResources.create("schema-registry", 1, true));
    resources.setShutdownQuietPeriod(Duration.ZERO);
    resources.setShutdownTimeout(Duration.ofSeconds(5));
    return resources;
  }
}
