package io.guichet.payment;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.guichet.access.AccessRules;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.payment.adapter.out.kafka.PaymentEvents;
import io.guichet.payment.adapter.out.provider.GuardedProvider;
import io.guichet.payment.adapter.out.provider.SimulatedProvider;
import io.guichet.payment.adapter.out.provider.StripeProvider;
import io.guichet.payment.adapter.out.r2dbc.InvoiceStore;
import io.guichet.payment.adapter.out.r2dbc.InvoicingProjection;
import io.guichet.payment.adapter.out.r2dbc.PayablesProjection;
import io.guichet.payment.adapter.out.r2dbc.R2dbcPaymentStore;
import io.guichet.payment.application.PaymentCommands;
import io.guichet.payment.application.PaymentProvider;
import io.guichet.platform.access.Role;
import io.guichet.platform.registry.HttpSchemaRegistryClient;
import io.guichet.schemas.Topics;
import io.guichet.web.Periodic;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/** Payment's provider (behind its circuit breaker), tables, outbox and projection. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PaymentProperties.class)
class PaymentConfiguration {

  /**
   * The provider's webhook is authenticated by its own signature; customers pay, and a payment is
   * seen by its customer or an admin (checked by the controller, which answers 404 to anyone else).
   */
  @Bean
  AccessRules paymentAccess() {
    return rules ->
        rules
            .on(HttpMethod.POST, "/payments/webhooks/**")
            .open()
            .on(HttpMethod.POST, "/payments")
            .allow(Role.CUSTOMER)
            .on("/payments/**")
            .allow(Role.CUSTOMER, Role.ADMIN)
            .on("/invoices", "/invoices/**")
            .allow(Role.CUSTOMER, Role.ORGANIZER, Role.ADMIN);
  }

  @Bean
  @ConditionalOnProperty(
      prefix = "guichet.payment",
      name = "provider",
      havingValue = "simulated",
      matchIfMissing = true)
  SimulatedProvider simulatedProvider() {
    return new SimulatedProvider();
  }

  @Bean
  @ConditionalOnProperty(prefix = "guichet.payment", name = "provider", havingValue = "stripe")
  StripeProvider stripeProvider(PaymentProperties properties) {
    PaymentProperties.Stripe stripe = properties.stripe();
    if (stripe == null
        || isBlank(stripe.secretKey())
        || isBlank(stripe.webhookSecret())
        || isBlank(stripe.apiBase())) {
      throw new IllegalStateException(
          "guichet.payment.provider=stripe needs guichet.payment.stripe.secret-key and"
              + " webhook-secret (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET)");
    }
    return new StripeProvider(WebClient.builder(), stripe.apiBase(), stripe.secretKey());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** The configured provider, behind its timeout and circuit breaker. */
  @Bean
  GuardedProvider paymentProvider(
      ObjectProvider<SimulatedProvider> simulated,
      ObjectProvider<StripeProvider> stripe,
      PaymentProperties properties,
      MeterRegistry registry) {
    PaymentProvider provider =
        Optional.<PaymentProvider>ofNullable(simulated.getIfAvailable())
            .or(() -> Optional.ofNullable(stripe.getIfAvailable()))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "guichet.payment.provider must be 'simulated' or 'stripe', not '"
                            + properties.provider()
                            + "'"));
    PaymentProperties.Circuit circuit = properties.circuit();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "payment-provider",
            CircuitBreakerConfig.custom()
                .failureRateThreshold(circuit.failureRate())
                .slidingWindowSize(circuit.window())
                .minimumNumberOfCalls(circuit.minimumCalls())
                .waitDurationInOpenState(circuit.openFor())
                .permittedNumberOfCallsInHalfOpenState(circuit.trialCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
    return new GuardedProvider(
        provider, breaker, properties.providerTimeout(), circuit.openFor(), registry);
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  OutboxRelay outboxRelay(R2dbcProperties r2dbc, PaymentProperties properties) {
    return OutboxRelay.startedFor(
        r2dbc.getUrl(),
        r2dbc.getUsername(),
        r2dbc.getPassword(),
        properties.bootstrapServers(),
        "payment");
  }

  @Bean
  PaymentCommands paymentCommands(
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      OutboxRelay relay,
      GuardedProvider paymentProvider,
      PaymentProperties properties) {
    Outbox outbox =
        new Outbox(database, new HttpSchemaRegistryClient(properties.schemaRegistryUrl()))
            .warmUp(PaymentEvents.TYPES);
    return new PaymentCommands(
        new R2dbcPaymentStore(database, TransactionalOperator.create(transactions), outbox, relay),
        paymentProvider,
        Clock.systemUTC());
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  PositionedConsumer payablesProjection(
      PaymentProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions) {
    // Set-based, so no span per record (the projection writes a poll's records together).
    return new PositionedConsumer(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            properties.consumerGroup(),
            List.of(Topics.RESERVATIONS.name(), Topics.CATALOG_EVENTS.name()),
            new ConsumedPositions(database),
            PositionedConsumer.Projector.eachPoll(
                TransactionalOperator.create(transactions),
                new PayablesProjection(database)::project,
                () -> {}))
        .start();
  }

  /**
   * The invoicing consumer (not a ProjectionProgress bean: the payment endpoints wait on the
   * other).
   */
  record Invoicing(PositionedConsumer consumer) implements AutoCloseable {
    @Override
    public void close() {
      consumer.close();
    }
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  Invoicing invoicing(
      PaymentProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      OutboxRelay relay) {
    Outbox outbox =
        new Outbox(database, new HttpSchemaRegistryClient(properties.schemaRegistryUrl()))
            .warmUp(InvoicingProjection.TYPES);
    return new Invoicing(
        new PositionedConsumer(
                properties.bootstrapServers(),
                properties.schemaRegistryUrl(),
                properties.consumerGroup() + "-invoicing",
                InvoicingProjection.TOPICS,
                new ConsumedPositions(database),
                PositionedConsumer.Projector.eachPoll(
                    TransactionalOperator.create(transactions),
                    new InvoicingProjection(database, outbox, Clock.systemUTC())::project,
                    relay::nudge))
            .start());
  }

  @Bean
  InvoiceStore invoiceStore(DatabaseClient database) {
    return new InvoiceStore(database);
  }

  @Bean(destroyMethod = "dispose")
  @DependsOnDatabaseInitialization
  Disposable paymentRecovery(PaymentCommands commands, PaymentProperties properties) {
    return Periodic.every(
        properties.recoveryCheck(),
        properties.recoveryCheck(),
        "recovery of payments left processing",
        () -> commands.recover(properties.recoveryAfter()));
  }

  @Bean(destroyMethod = "dispose")
  @DependsOnDatabaseInitialization
  Disposable refunds(PaymentCommands commands, PaymentProperties properties) {
    return Periodic.every(
        properties.refundCheck(), properties.refundCheck(), "refunds owed", commands::refundOwed);
  }
}
