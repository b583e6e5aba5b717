package io.guichet.notification;

import io.guichet.access.AccessRules;
import io.guichet.notification.adapter.out.http.NettyWebhookClient;
import io.guichet.notification.adapter.out.kafka.KafkaDeadLetters;
import io.guichet.notification.adapter.out.kafka.KafkaRetryQueue;
import io.guichet.notification.adapter.out.mail.SmtpMailer;
import io.guichet.notification.adapter.out.r2dbc.FactsProjection;
import io.guichet.notification.adapter.out.r2dbc.R2dbcEmailStore;
import io.guichet.notification.adapter.out.r2dbc.R2dbcWebhookStore;
import io.guichet.notification.adapter.out.r2dbc.WebhookProjection;
import io.guichet.notification.application.EmailDelivery;
import io.guichet.notification.application.WebhookDispatcher;
import io.guichet.notification.application.WebhookStore;
import io.guichet.notification.application.Webhooks;
import io.guichet.notification.application.WorkLoop;
import io.guichet.notification.domain.Templates;
import io.guichet.notification.domain.WebhookAddresses;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.platform.access.Role;
import io.guichet.platform.secrets.SecretBox;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The projection of facts into emails and their sender, partners' webhooks; the emails' retry
 * topics are {@link EmailRetryConfiguration}'s.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  EmailDelivery emailDelivery(
      DatabaseClient database,
      JavaMailSender mailSender,
      KafkaRetryQueue retries,
      NotificationProperties properties,
      Clock clock) {
    return new EmailDelivery(
        new R2dbcEmailStore(database, clock),
        new SmtpMailer(mailSender, properties.from()),
        retries,
        new Templates(properties.publicUrl()));
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  WorkLoop emailSender(EmailDelivery delivery) {
    // Sends pending emails as the projection commits them (it nudges the sender); makes the emails
    // of a sender that stopped mid-way pending again. The idle look only finds what another
    // instance's projection committed and its own sender missed.
    return new WorkLoop(
            "notification-sender",
            Duration.ofSeconds(5),
            () -> delivery.sendPending(SENDER_BATCH) == SENDER_BATCH,
            () -> delivery.releaseStale(Duration.ofMinutes(2)))
        .start();
  }

  private static final int SENDER_BATCH = 100;

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  PositionedConsumer factsProjection(
      NotificationProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      WorkLoop sender,
      Clock clock) {
    return new PositionedConsumer(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            properties.consumerGroup(),
            FactsProjection.TOPICS,
            new ConsumedPositions(database),
            PositionedConsumer.Projector.eachPoll(
                TransactionalOperator.create(transactions),
                new FactsProjection(database, clock)::project,
                sender::nudge))
        .start();
  }

  /** Admins manage partners' webhooks. */
  @Bean
  AccessRules notificationAccess() {
    return rules -> rules.on("/partners/**").allow(Role.ADMIN);
  }

  @Bean
  SecretBox notificationSecrets(NotificationProperties properties) {
    return new SecretBox(
        properties.masterKey(), "guichet.notification.master-key (NOTIFICATION_MASTER_KEY)");
  }

  @Bean
  WebhookStore webhookStore(DatabaseClient database) {
    return new R2dbcWebhookStore(database);
  }

  @Bean
  Webhooks webhooks(WebhookStore store, SecretBox secrets, Clock clock) {
    return new Webhooks(store, secrets, clock);
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  WebhookDispatcher webhookDispatcher(
      WebhookStore store,
      KafkaDeadLetters deadLetters,
      SecretBox secrets,
      NotificationProperties properties,
      NettyWebhookClient webhookClient,
      Clock clock) {
    NotificationProperties.WebhookSettings settings = properties.webhooks();
    return new WebhookDispatcher(
            store,
            webhookClient,
            deadLetters,
            secrets,
            new WebhookDispatcher.Backoff(
                settings.firstRetry(), settings.maxRetry(), settings.retryWindow()),
            clock)
        .start();
  }

  /** Where partners' webhooks may be delivered: no internal address unless allowed. */
  @Bean
  WebhookAddresses webhookAddresses(NotificationProperties properties) {
    return new WebhookAddresses(properties.webhooks().allowedNetworks());
  }

  @Bean(destroyMethod = "close")
  NettyWebhookClient webhookClient(NotificationProperties properties, WebhookAddresses addresses) {
    return new NettyWebhookClient(properties.webhooks().timeout(), addresses);
  }

  /** Its own group: a slow partner never holds up the emails. */
  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  PositionedConsumer webhookProjection(
      NotificationProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      ObservationRegistry observations,
      WebhookDispatcher dispatcher,
      Clock clock) {
    return new PositionedConsumer(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            properties.consumerGroup() + "-webhooks",
            WebhookProjection.TOPICS,
            new ConsumedPositions(database),
            (records, savePositions) ->
                PositionedConsumer.Projector.eachEvent(
                        TransactionalOperator.create(transactions),
                        new WebhookProjection(database, clock)::project,
                        dispatcher::nudge,
                        observations)
                    .apply(WebhookProjection.inWrittenOrder(records), savePositions))
        .start();
  }
}
