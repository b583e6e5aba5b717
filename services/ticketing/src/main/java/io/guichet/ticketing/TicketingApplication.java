package io.guichet.ticketing;

import io.guichet.access.AccessSecurity;
import io.guichet.web.BrokerHealth;
import io.guichet.web.SharedNettyLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The ticketing service: tickets of confirmed reservations, their QR codes, revocations. */
@SpringBootApplication
@Import({SharedNettyLoops.class, AccessSecurity.class, BrokerHealth.class})
public class TicketingApplication {

  /** Its configuration file is {@code ticketing.yml}, so it can share a JVM with other services. */
  public static final String CONFIG_NAME = "ticketing";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(TicketingApplication.class)
        .main(TicketingApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
