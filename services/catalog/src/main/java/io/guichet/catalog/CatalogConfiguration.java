package io.guichet.catalog;

import io.guichet.access.AccessRules;
import io.guichet.catalog.adapter.in.schedule.SalesWindowCloser;
import io.guichet.catalog.adapter.out.kafka.OutboxCatalogFacts;
import io.guichet.catalog.adapter.out.r2dbc.R2dbcAccessCodes;
import io.guichet.catalog.adapter.out.r2dbc.R2dbcCatalogEvents;
import io.guichet.catalog.adapter.out.r2dbc.R2dbcSeatLayouts;
import io.guichet.catalog.application.AccessCodeStore;
import io.guichet.catalog.application.CatalogCommands;
import io.guichet.catalog.application.CatalogEvents;
import io.guichet.catalog.application.SeatLayoutStore;
import io.guichet.catalog.application.SeatLayouts;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.platform.access.Role;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** The catalog's commands, its table and its outbox. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogConfiguration {

  /**
   * Anyone reads the catalog; organizers and admins change it (whose event it is, is checked by the
   * controller).
   */
  @Bean
  AccessRules catalogAccess() {
    return rules ->
        rules
            // An event's codes are its organizer's (checked by the controller), not public.
            .on(HttpMethod.GET, "/events/*/access-codes", "/events/*/access-codes/**")
            .allow(Role.ORGANIZER, Role.ADMIN)
            // Seat layouts are their organizer's (checked by the controller), not public.
            .on("/seat-layouts", "/seat-layouts/**")
            .allow(Role.ORGANIZER, Role.ADMIN)
            .on(HttpMethod.GET, "/events", "/events/**")
            .open()
            .on("/events", "/events/**")
            .allow(Role.ORGANIZER, Role.ADMIN);
  }

  @Bean
  CatalogEvents catalogEvents(DatabaseClient database) {
    return new R2dbcCatalogEvents(database);
  }

  @Bean
  AccessCodeStore accessCodes(DatabaseClient database) {
    return new R2dbcAccessCodes(database);
  }

  @Bean
  SeatLayoutStore seatLayoutStore(DatabaseClient database) {
    return new R2dbcSeatLayouts(database);
  }

  @Bean
  SeatLayouts seatLayouts(SeatLayoutStore store, ReactiveTransactionManager transactions) {
    return new SeatLayouts(store, TransactionalOperator.create(transactions), Clock.systemUTC());
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  OutboxRelay outboxRelay(R2dbcProperties r2dbc, CatalogProperties properties) {
    return OutboxRelay.startedFor(
        r2dbc.getUrl(),
        r2dbc.getUsername(),
        r2dbc.getPassword(),
        properties.bootstrapServers(),
        "catalog");
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  SalesWindowCloser salesWindowCloser(
      CatalogCommands commands, OutboxRelay relay, CatalogProperties properties) {
    return new SalesWindowCloser(
        commands, relay.appends(), properties.salesCloseCheck(), Clock.systemUTC());
  }

  @Bean
  CatalogCommands catalogCommands(
      CatalogEvents events,
      AccessCodeStore codes,
      SeatLayoutStore layouts,
      DatabaseClient database,
      OutboxRelay relay,
      ReactiveTransactionManager transactions,
      CatalogProperties properties) {
    Outbox outbox =
        new Outbox(database, new HttpSchemaRegistryClient(properties.schemaRegistryUrl()))
            .warmUp(OutboxCatalogFacts.TYPES);
    Clock clock = Clock.systemUTC();
    return new CatalogCommands(
        events,
        codes,
        layouts,
        new OutboxCatalogFacts(outbox, relay, clock),
        TransactionalOperator.create(transactions),
        clock);
  }
}
