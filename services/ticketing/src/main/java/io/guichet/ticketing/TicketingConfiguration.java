package io.guichet.ticketing;

import io.guichet.access.AccessRules;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.platform.access.Role;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.platform.secrets.SecretBox;
import io.guichet.schemas.Topics;
import io.guichet.ticketing.adapter.out.r2dbc.TicketStore;
import io.guichet.ticketing.adapter.out.r2dbc.TicketingProjection;
import io.guichet.ticketing.adapter.out.r2dbc.TransferStore;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Ticketing's tables, outbox and consumer. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TicketingProperties.class)
class TicketingConfiguration {

  /**
   * Tickets are for their customers and for admins (whose ticket it is, is checked by the
   * controller, which answers 404 to anyone else).
   */
  @Bean
  AccessRules ticketingAccess() {
    return rules -> rules.on("/tickets", "/tickets/**").allow(Role.CUSTOMER, Role.ADMIN);
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  OutboxRelay outboxRelay(R2dbcProperties r2dbc, TicketingProperties properties) {
    return OutboxRelay.startedFor(
        r2dbc.getUrl(),
        r2dbc.getUsername(),
        r2dbc.getPassword(),
        properties.bootstrapServers(),
        "ticketing");
  }

  @Bean
  TicketStore ticketStore(DatabaseClient database, TicketingProperties properties) {
    Outbox outbox =
        new Outbox(database, new HttpSchemaRegistryClient(properties.schemaRegistryUrl()))
            .warmUp(TicketStore.TYPES);
    return new TicketStore(
        database,
        outbox,
        new SecretBox(
            properties.masterKey(), "guichet.ticketing.master-key (TICKETING_MASTER_KEY)"),
        new SecretBox(
            properties.ticketCodeKey(),
            "guichet.ticketing.ticket-code-key (TICKET_CODE_KEY, the same as the gate's)"));
  }

  @Bean
  TransferStore transferStore(
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      TicketStore store,
      OutboxRelay relay) {
    return new TransferStore(database, TransactionalOperator.create(transactions), store, relay);
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  PositionedConsumer ticketingConsumer(
      TicketingProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      TicketStore store,
      OutboxRelay relay,
      ObservationRegistry observations) {
    return new PositionedConsumer(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            properties.consumerGroup(),
            List.of(
                Topics.RESERVATIONS.name(),
                Topics.PAYMENTS.name(),
                Topics.CATALOG_EVENTS.name(),
                Topics.ACCOUNTS.name(),
                Topics.SCANS.name()),
            new ConsumedPositions(database),
            PositionedConsumer.Projector.eachPollOfRecords(
                TransactionalOperator.create(transactions),
                new TicketingProjection(store, Clock.systemUTC(), observations)::project,
                relay::nudge))
        .start();
  }
}
