package io.guichet.booking;

import io.guichet.booking.adapter.in.kafka.StatusProjection;
import io.guichet.booking.adapter.out.r2dbc.StatusProjectionStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The reservation status projection. Every instance may run it (they share its consumer group);
 * {@code guichet.booking.status.projection-enabled=false} leaves it to the others.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    prefix = "guichet.booking.status",
    name = "projection-enabled",
    havingValue = "true",
    matchIfMissing = true)
class StatusProjectionConfiguration {

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  StatusProjection statusProjection(
      BookingProperties properties, DatabaseClient database, TransactionalOperator transactions) {
    return new StatusProjection(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            properties.status().consumerGroup(),
            new StatusProjectionStore(database, transactions))
        .start();
  }
}
