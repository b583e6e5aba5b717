package io.guichet.notification;

import io.guichet.access.AccessSecurity;
import io.guichet.web.BrokerHealth;
import io.guichet.web.SharedNettyLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The notification service: emails to buyers, one per fact. */
@SpringBootApplication
@Import({SharedNettyLoops.class, AccessSecurity.class, BrokerHealth.class})
public class NotificationApplication {

  /**
   * Its configuration file is {@code notification.yml}, so it can share a JVM with other services.
   */
  public static final String CONFIG_NAME = "notification";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(NotificationApplication.class)
        .main(NotificationApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
