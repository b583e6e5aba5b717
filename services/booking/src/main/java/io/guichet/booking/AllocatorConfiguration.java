package io.guichet.booking;

import io.guichet.booking.adapter.in.kafka.BatchAllocator;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the allocator with the service and stops it with it; its state is the service's health.
 * {@code guichet.booking.allocator.enabled=false} leaves it out, for instances that only admit
 * requests while the allocator runs elsewhere ({@code AllocatorMain}, or other instances).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    prefix = "guichet.booking.allocator",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
class AllocatorConfiguration {

  @Bean(destroyMethod = "close")
  BatchAllocator allocator(BookingProperties properties, MeterRegistry registry) {
    BookingProperties.Allocator allocator = properties.allocator();
    return BatchAllocator.start(
        new BatchAllocator.Settings(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            allocator.applicationId(),
            allocator.stateDir(),
            allocator.hold(),
            allocator.expiryCheck(),
            allocator.replicationFactor(),
            allocator.clients() == null ? Map.of() : allocator.clients()),
        registry);
  }

  @Bean
  HealthIndicator allocatorHealth(BatchAllocator allocator) {
    return () -> {
      BatchAllocator.State state = allocator.state();
      Health.Builder health =
          state == BatchAllocator.State.RUNNING || state == BatchAllocator.State.REBALANCING
              ? Health.up()
              : Health.down();
      return health.withDetail("allocator", state.name()).build();
    };
  }
}
