package io.guichet.query;

import io.guichet.access.AccessRules;
import io.guichet.outbox.ChangeNotifications;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.outbox.UnpooledConnections;
import io.guichet.platform.access.Role;
import io.guichet.query.adapter.out.r2dbc.R2dbcReadModels;
import io.guichet.query.adapter.out.r2dbc.ReadModelProjection;
import io.guichet.query.adapter.out.r2dbc.ReadModelRebuilds;
import io.guichet.query.adapter.out.r2dbc.ReadModelSchema;
import io.guichet.query.application.ReadModels;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** The read models: their schema, live projection, queries, notifications and rebuilds. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryProperties.class)
class QueryConfiguration {

  /** Rebuilds are for admins; organizers' statistics are checked against the event's organizer. */
  @Bean
  AccessRules queryAccess() {
    return exchanges ->
        exchanges
            .pathMatchers("/views/rebuilds", "/views/rebuilds/**")
            .hasRole(Role.ADMIN.name())
            .pathMatchers("/views/events/*/statistics", "/views/events/*/statistics/**")
            .hasAnyRole(Role.ORGANIZER.name(), Role.ADMIN.name());
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ReadModelSchema readModelSchema() {
    return new ReadModelSchema();
  }

  /** The consumer of every read model topic into a schema, under a group. */
  private static PositionedConsumer consumer(
      QueryProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      ObservationRegistry observations,
      String group,
      String schema) {
    return new PositionedConsumer(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            group,
            ReadModelProjection.TOPICS,
            new ConsumedPositions(database),
            new ReadModelProjection(
                database, TransactionalOperator.create(transactions), observations, schema))
        .start();
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  PositionedConsumer readModelProjection(
      QueryProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      ObservationRegistry observations,
      ReadModelSchema schema) {
    schema.create(database, ReadModelSchema.SERVING).block(Duration.ofMinutes(1));
    return consumer(
        properties,
        database,
        transactions,
        observations,
        properties.consumerGroup(),
        ReadModelSchema.SERVING);
  }

  @Bean(destroyMethod = "close")
  ChangeNotifications reservationChanges(R2dbcProperties r2dbc) {
    return new ChangeNotifications(unpooled(r2dbc), ReadModelProjection.RESERVATIONS_CHANNEL);
  }

  @Bean(destroyMethod = "close")
  ChangeNotifications availabilityChanges(R2dbcProperties r2dbc) {
    return new ChangeNotifications(unpooled(r2dbc), ReadModelProjection.AVAILABILITY_CHANNEL);
  }

  private static io.r2dbc.spi.ConnectionFactory unpooled(R2dbcProperties r2dbc) {
    return UnpooledConnections.to(r2dbc.getUrl(), r2dbc.getUsername(), r2dbc.getPassword());
  }

  @Bean
  ReadModels readModels(
      DatabaseClient database,
      ChangeNotifications reservationChanges,
      ChangeNotifications availabilityChanges) {
    return new R2dbcReadModels(database, reservationChanges, availabilityChanges);
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  ReadModelRebuilds rebuilds(
      QueryProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      ObservationRegistry observations,
      ReadModelSchema schema,
      Clock clock) {
    return new ReadModelRebuilds(
        database,
        TransactionalOperator.create(transactions),
        schema,
        properties.consumerGroup(),
        (group, into) -> consumer(properties, database, transactions, observations, group, into),
        properties.rebuildLimit(),
        clock);
  }
}
