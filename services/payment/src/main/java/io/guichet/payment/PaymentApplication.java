package io.guichet.payment;

import io.guichet.access.AccessSecurity;
import io.guichet.web.BrokerHealth;
import io.guichet.web.SharedNettyLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The payment service: charges held reservations once, through the outbox. */
@SpringBootApplication
@Import({SharedNettyLoops.class, AccessSecurity.class, BrokerHealth.class})
public class PaymentApplication {

  /** Its configuration file is {@code payment.yml}, so it can share a JVM with other services. */
  public static final String CONFIG_NAME = "payment";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(PaymentApplication.class)
        .main(PaymentApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
