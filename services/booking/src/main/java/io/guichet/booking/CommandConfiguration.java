package io.guichet.booking;

import io.guichet.access.AccessRules;
import io.guichet.booking.adapter.in.kafka.CatalogConsumer;
import io.guichet.booking.adapter.out.kafka.RequestPublisher;
import io.guichet.booking.adapter.out.r2dbc.IdempotentRequests;
import io.guichet.booking.adapter.out.r2dbc.ReservationStatuses;
import io.guichet.booking.adapter.out.r2dbc.StatusProjectionStore;
import io.guichet.booking.application.AdmissionRule;
import io.guichet.booking.application.ReservationCommands;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.outbox.ChangeNotifications;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.outbox.UnpooledConnections;
import io.guichet.platform.access.Role;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.web.Periodic;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;

/**
 * The command side (reserve, cancel) and the reservation status it is followed by: the catalog
 * view, the request publisher, idempotency keys with the outbox, the status projection and its
 * notifications.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BookingProperties.class)
class CommandConfiguration {

  /**
   * Customers reserve and join waiting lists; a reservation is seen or cancelled by its customer or
   * an admin (checked by the controller, which answers 404 to anyone else).
   */
  @Bean
  AccessRules bookingAccess() {
    return rules ->
        rules
            .on(HttpMethod.POST, "/reservations", "/waiting-lists")
            .allow(Role.CUSTOMER)
            .on("/reservations/**")
            .allow(Role.CUSTOMER, Role.ADMIN);
  }

  @Bean
  SchemaRegistryClient schemaRegistryClient(BookingProperties properties) {
    return new HttpSchemaRegistryClient(properties.schemaRegistryUrl());
  }

  @Bean(destroyMethod = "close")
  CatalogConsumer catalogView(BookingProperties properties) {
    return new CatalogConsumer(properties.bootstrapServers(), properties.schemaRegistryUrl())
        .start();
  }

  @Bean
  HealthIndicator catalogViewHealth(CatalogConsumer catalog) {
    return () ->
        (catalog.ready() ? Health.up() : Health.down().withDetail("reason", "reading the catalog"))
            .build();
  }

  @Bean(destroyMethod = "close")
  RequestPublisher requestPublisher(BookingProperties properties, SchemaRegistryClient registry) {
    return new RequestPublisher(properties.bootstrapServers(), registry);
  }

  @Bean
  TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
    return TransactionalOperator.create(transactions);
  }

  @Bean
  Outbox outbox(DatabaseClient database, SchemaRegistryClient registry) {
    return new Outbox(database, registry).warmUp(List.of(ReservationRequested.class));
  }

  /** On a connection of its own, outside the pool: its advisory lock must end with it. */
  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  OutboxRelay outboxRelay(R2dbcProperties r2dbc, BookingProperties properties) {
    return OutboxRelay.startedFor(
        r2dbc.getUrl(),
        r2dbc.getUsername(),
        r2dbc.getPassword(),
        properties.bootstrapServers(),
        "booking");
  }

  @Bean
  IdempotentRequests idempotentRequests(
      DatabaseClient database,
      TransactionalOperator transactions,
      Outbox outbox,
      OutboxRelay relay) {
    return new IdempotentRequests(database, transactions, outbox, relay);
  }

  /** Deletes expired idempotency keys now and then; a key sweep missed is done at the next. */
  @Bean(destroyMethod = "dispose")
  @DependsOnDatabaseInitialization
  Disposable idempotencyKeySweeper(IdempotentRequests keys, BookingProperties properties) {
    BookingProperties.IdempotencyKeys settings = properties.idempotencyKeys();
    return Periodic.every(
        Duration.ZERO,
        settings.sweepEvery(),
        "sweeping idempotency keys",
        () -> keys.forgetBefore(Instant.now().minus(settings.retention())));
  }

  @Bean
  ReservationCommands reservationCommands(
      CatalogConsumer catalog,
      RequestPublisher requests,
      IdempotentRequests keys,
      AdmissionRule waitingRooms) {
    return new ReservationCommands(catalog, requests, keys, waitingRooms);
  }

  @Bean
  ReservationStatuses reservationStatuses(DatabaseClient database) {
    return new ReservationStatuses(database);
  }

  /** A connection of its own, outside the pool: it stays open to listen. */
  @Bean(destroyMethod = "close")
  ChangeNotifications statusNotifications(R2dbcProperties r2dbc) {
    return new ChangeNotifications(unpooled(r2dbc), StatusProjectionStore.CHANNEL);
  }

  private static ConnectionFactory unpooled(R2dbcProperties r2dbc) {
    return UnpooledConnections.to(r2dbc.getUrl(), r2dbc.getUsername(), r2dbc.getPassword());
  }
}
