package io.guichet.query;

import io.guichet.access.AccessRules;
import io.guichet.outbox.ChangeNotifications;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.outbox.UnpooledConnections;
import io.guichet.platform.access.Role;
import io.guichet.query.adapter.out.r2dbc.AvailabilityProjection;
import io.guichet.query.adapter.out.r2dbc.R2dbcReadModels;
import io.guichet.query.adapter.out.r2dbc.ReadModelProjection;
import io.guichet.query.adapter.out.r2dbc.ReadModelRebuilds;
import io.guichet.query.adapter.out.r2dbc.ReadModelSchema;
import io.guichet.query.application.ReadModels;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

  /**
   * Rebuilds are for admins; organizers' statistics are checked against the event's organizer; a
   * seat map's taken seats are public, as on any venue's seat map (no buyer is named).
   */
  @Bean
  AccessRules queryAccess() {
    return rules ->
        rules
            .on(
                org.springframework.http.HttpMethod.GET,
                "/views/events/*/seats",
                "/views/events/*/seats/events")
            .open()
            .on("/views/rebuilds", "/views/rebuilds/**")
            .allow(Role.ADMIN)
            .on(
                "/views/events/*/statistics",
                "/views/events/*/statistics/**",
                "/views/events/*/offline-duplicates")
            .allow(Role.ORGANIZER, Role.ADMIN);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ReadModelSchema readModelSchema() {
    return new ReadModelSchema();
  }

  /** The consumer of the reservations' (and tickets', sales') topics into a schema. */
  private static PositionedConsumer reservations(
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

  /** The consumer of the availability's topics into a schema. */
  private static PositionedConsumer availability(
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
            AvailabilityProjection.TOPICS,
            new ConsumedPositions(database),
            new AvailabilityProjection(
                database, TransactionalOperator.create(transactions), observations, schema))
        .start();
  }

  private static String availabilityGroup(QueryProperties properties) {
    return properties.consumerGroup() + "-availability";
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
    return reservations(
        properties,
        database,
        transactions,
        observations,
        properties.consumerGroup(),
        ReadModelSchema.SERVING);
  }

  /** Its own group: it keeps up with the allocator whatever the other projection's backlog. */
  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  PositionedConsumer availabilityProjection(
      QueryProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      ObservationRegistry observations,
      PositionedConsumer readModelProjection) {
    // After the read models' projection, which creates their schema.
    return availability(
        properties,
        database,
        transactions,
        observations,
        availabilityGroup(properties),
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
        List.of(
            new ReadModelRebuilds.Projection(
                properties.consumerGroup(),
                (group, into) ->
                    reservations(properties, database, transactions, observations, group, into)),
            new ReadModelRebuilds.Projection(
                availabilityGroup(properties),
                (group, into) ->
                    availability(properties, database, transactions, observations, group, into))),
        properties.rebuildLimit(),
        clock);
  }
}
