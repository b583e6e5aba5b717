package io.guichet.notification;

import io.guichet.notification.adapter.in.kafka.EmailRetries;
import io.guichet.notification.adapter.out.kafka.KafkaDeadLetters;
import io.guichet.notification.adapter.out.kafka.KafkaRetryQueue;
import io.guichet.notification.application.EmailDelivery;
import io.guichet.platform.kafka.Listeners;
import io.guichet.platform.kafka.SoleMemberContainerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.retrytopic.RetryTopicConfiguration;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationBuilder;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationSupport;
import org.springframework.kafka.retrytopic.RetryTopicSchedulerWrapper;
import org.springframework.kafka.retrytopic.SameIntervalTopicReuseStrategy;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The emails' retries on spring-kafka's non-blocking retries: the first attempt is the sender's
 * (from the database, many emails over one SMTP connection); an email whose first attempt failed
 * goes to {@value KafkaRetryQueue#TOPIC} due after the first of {@code retry-delays}, then one
 * retry topic per further delay, then the dead-letter topic and its handler. The topics are created
 * if absent (the webhooks' dead-letter topic too), by spring-kafka's {@link KafkaAdmin}.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafka
class EmailRetryConfiguration extends RetryTopicConfigurationSupport {

  @Bean
  KafkaAdmin kafkaAdmin(NotificationProperties properties) {
    return new KafkaAdmin(Map.of("bootstrap.servers", properties.bootstrapServers()));
  }

  @Bean
  NewTopic webhookDeadLetterTopic(NotificationProperties properties) {
    return TopicBuilder.name(KafkaDeadLetters.TOPIC)
        .partitions(properties.topicPartitions())
        .replicas(properties.topicReplicationFactor())
        .build();
  }

  /** The service's producer of its own retry and dead-letter records (plain strings). */
  @Bean(destroyMethod = "destroy")
  KafkaTemplate<String, String> kafkaTemplate(NotificationProperties properties) {
    DefaultKafkaProducerFactory<String, String> producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                "bootstrap.servers", properties.bootstrapServers(),
                "acks", "all",
                "enable.idempotence", "true",
                "client.id", "notification-retries"),
            new StringSerializer(),
            new StringSerializer());
    producers.setPhysicalCloseTimeout(10);
    KafkaTemplate<String, String> template = new KafkaTemplate<>(producers);
    // Each record carries its trace context (spring-kafka's Micrometer observation).
    template.setObservationEnabled(true);
    return template;
  }

  @Bean
  ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory(
      NotificationProperties properties) {
    // In the standalone, the retry topics' five containers are their groups' only members.
    ConcurrentKafkaListenerContainerFactory<String, String> factory =
        new SoleMemberContainerFactory<>(properties.topicPartitions());
    factory.setConsumerFactory(
        Listeners.consumers(
            Map.of(
                "bootstrap.servers", properties.bootstrapServers(),
                "enable.auto.commit", "false",
                "auto.offset.reset", "earliest",
                "max.poll.records", "100"),
            new StringDeserializer(),
            new StringDeserializer()));
    Listeners.shared(factory.getContainerProperties(), "notification-email-retries");
    factory.getContainerProperties().setObservationEnabled(true);
    return factory;
  }

  /** Resumes the retry topics' partitions when their records come due. */
  @Bean(destroyMethod = "destroy")
  RetryTopicSchedulerWrapper retryTopicScheduler() {
    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    scheduler.setPoolSize(1);
    scheduler.setDaemon(true);
    scheduler.setThreadNamePrefix("notification-retry-due-");
    scheduler.initialize();
    return new RetryTopicSchedulerWrapper(scheduler);
  }

  @Bean
  KafkaRetryQueue retryQueue(
      KafkaTemplate<String, String> template,
      NotificationProperties properties,
      java.time.Clock clock) {
    return new KafkaRetryQueue(template, properties.retryDelays().get(0), clock);
  }

  @Bean
  KafkaDeadLetters webhookDeadLetters(KafkaTemplate<String, String> template) {
    return new KafkaDeadLetters(template);
  }

  @Bean
  @DependsOnDatabaseInitialization
  EmailRetries emailRetries(EmailDelivery delivery) {
    return new EmailRetries(delivery);
  }

  /**
   * One attempt per delay on the topics (the first delay is the first topic's, set by the record's
   * due time; the others are the retry topics'), a permanent failure straight to the dead-letter
   * topic, whose handler records the email as dead.
   */
  @Bean
  RetryTopicConfiguration emailRetryTopics(
      KafkaTemplate<String, String> template, NotificationProperties properties) {
    List<Duration> delays = properties.retryDelays();
    return RetryTopicConfigurationBuilder.newInstance()
        .includeTopic(KafkaRetryQueue.TOPIC)
        .maxAttempts(delays.size())
        .customBackoff(after(delays.subList(1, delays.size())))
        .retryTopicSuffix(KafkaRetryQueue.RETRY_SUFFIX)
        .dltSuffix(KafkaRetryQueue.DLT_SUFFIX)
        .suffixTopicsWithIndexValues()
        .sameIntervalTopicReuseStrategy(SameIntervalTopicReuseStrategy.MULTIPLE_TOPICS)
        .notRetryOn(EmailDelivery.GiveUp.class)
        .traversingCauses()
        .autoCreateTopicsWith(properties.topicPartitions(), properties.topicReplicationFactor())
        .dltHandlerMethod("emailRetries", "dead")
        .create(template);
  }

  /** These delays in turn, then no more. */
  private static BackOff after(List<Duration> delays) {
    return () -> {
      Iterator<Duration> next = List.copyOf(delays).iterator();
      return () -> next.hasNext() ? next.next().toMillis() : BackOffExecution.STOP;
    };
  }

  /** Every record moved to a next topic says why its attempt failed. */
  @Override
  protected void configureCustomizers(CustomizersConfigurer customizers) {
    customizers.customizeDeadLetterPublishingRecoverer(
        recoverer ->
            recoverer.addHeadersFunction(
                (record, failure) -> {
                  RecordHeaders headers = new RecordHeaders();
                  headers.add(
                      KafkaRetryQueue.REASON, reason(failure).getBytes(StandardCharsets.UTF_8));
                  return headers;
                }));
  }

  /** The email's own failure (RetryLater or GiveUp), under spring-kafka's wrappers. */
  private static String reason(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof EmailDelivery.RetryLater || cause instanceof EmailDelivery.GiveUp) {
        return cause.getMessage();
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
