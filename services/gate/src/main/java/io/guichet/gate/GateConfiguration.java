package io.guichet.gate;

import io.guichet.access.AccessRules;
import io.guichet.gate.adapter.out.r2dbc.R2dbcGateStore;
import io.guichet.gate.adapter.out.r2dbc.TicketsProjection;
import io.guichet.gate.application.Gatekeeper;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.platform.access.Role;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.platform.secrets.SecretBox;
import io.guichet.schemas.Topics;
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

/** The gate's tables, outbox and projection of tickets. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GateProperties.class)
class GateConfiguration {

  /** Scanners and admins (which events a scanner scans for is checked by the controller). */
  @Bean
  AccessRules gateAccess() {
    return rules ->
        rules
            .on("/scans", "/scans/offline", "/events/*/scanner-bundle")
            .allow(Role.SCANNER, Role.ADMIN);
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  OutboxRelay outboxRelay(R2dbcProperties r2dbc, GateProperties properties) {
    return OutboxRelay.startedFor(
        r2dbc.getUrl(),
        r2dbc.getUsername(),
        r2dbc.getPassword(),
        properties.bootstrapServers(),
        "gate");
  }

  @Bean
  Gatekeeper gatekeeper(
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      OutboxRelay relay,
      GateProperties properties) {
    Outbox outbox =
        new Outbox(database, new HttpSchemaRegistryClient(properties.schemaRegistryUrl()))
            .warmUp(R2dbcGateStore.TYPES);
    return new Gatekeeper(
        new R2dbcGateStore(
            database,
            TransactionalOperator.create(transactions),
            outbox,
            relay,
            new SecretBox(
                properties.ticketCodeKey(),
                "guichet.gate.ticket-code-key (TICKET_CODE_KEY, the same as ticketing's)")),
        Clock.systemUTC());
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  PositionedConsumer ticketsProjection(
      GateProperties properties, DatabaseClient database, ReactiveTransactionManager transactions) {
    return new PositionedConsumer(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            properties.consumerGroup(),
            List.of(Topics.TICKETS.name(), Topics.CATALOG_EVENTS.name()),
            new ConsumedPositions(database),
            PositionedConsumer.Projector.eachPoll(
                TransactionalOperator.create(transactions),
                new TicketsProjection(database)::project,
                () -> {}))
        .start();
  }
}
