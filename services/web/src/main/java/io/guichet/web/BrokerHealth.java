package io.guichet.web;

import io.guichet.platform.JvmShared;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Kafka broker in a service's health (the {@code broker} component of {@code
 * /actuator/health}): UP with the cluster's node count when the cluster answers within two seconds,
 * DOWN otherwise. PostgreSQL is already there ({@code r2dbc}, Spring Boot's own), so the service's
 * health turns DOWN when either stops and UP again when it returns. The broker is {@code
 * guichet.health.bootstrap-servers}, else where the service reads access keys ({@code
 * guichet.access.bootstrap-servers}), which every service is given.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerHealth {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

  /**
   * One admin client per broker for the health of every service in the JVM (the standalone runs
   * ten): they ask the same cluster the same question, and each client is a thread and a
   * connection.
   */
  private static final JvmShared<String, Admin> ADMINS =
      new JvmShared<>(BrokerHealth::admin, admin -> admin.close(ANSWER_WITHIN));

  @Bean(destroyMethod = "close")
  JvmShared.Use<Admin> brokerHealthAdmin(Environment environment) {
    return ADMINS.use(
        environment.getProperty(
            "guichet.health.bootstrap-servers",
            environment.getProperty("guichet.access.bootstrap-servers", "127.0.0.1:9092")));
  }

  private static Admin admin(String servers) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            servers,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "guichet-health",
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            (int) ANSWER_WITHIN.toMillis(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) ANSWER_WITHIN.toMillis(),
            // Reconnect quickly once the broker is back.
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
            1_000));
  }

  @Bean
  HealthIndicator broker(JvmShared.Use<Admin> brokerHealthAdmin) {
    return () -> {
      try {
        int nodes =
            brokerHealthAdmin
                .get()
                .describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) ANSWER_WITHIN.toMillis()))
                .nodes()
                .get(ANSWER_WITHIN.toMillis() + 500, TimeUnit.MILLISECONDS)
                .size();
        return (nodes > 0 ? Health.up() : Health.down()).withDetail("nodes", nodes).build();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Health.down().withDetail("error", "interrupted").build();
      } catch (Exception e) {
        return Health.down()
            .withDetail("error", "the broker did not answer within " + ANSWER_WITHIN)
            .build();
      }
    };
  }
}
