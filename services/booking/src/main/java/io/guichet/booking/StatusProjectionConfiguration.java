package io.guichet.booking;

import io.guichet.booking.adapter.out.r2dbc.OutcomeMetrics;
import io.guichet.booking.adapter.out.r2dbc.StatusProjectionStore;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
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
  PositionedConsumer statusProjection(
      BookingProperties properties,
      DatabaseClient database,
      TransactionalOperator transactions,
      MeterRegistry registry) {
    StatusProjectionStore store = new StatusProjectionStore(database, transactions);
    OutcomeMetrics outcomes = new OutcomeMetrics(registry);
    // Requests and outcomes, projected with their positions in one transaction (rule 3); the
    // outcomes are counted once that transaction committed.
    return new PositionedConsumer(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            properties.status().consumerGroup(),
            List.of(Topics.RESERVATION_REQUESTS.name(), Topics.RESERVATIONS.name()),
            new ConsumedPositions(database),
            (records, savePositions) ->
                store
                    .apply(records, savePositions)
                    .doOnSuccess(done -> records.forEach(record -> outcomes.count(record.value()))))
        .start();
  }
}
