package io.guichet.booking;

import io.guichet.access.AccessSecurity;
import io.guichet.web.BrokerHealth;
import io.guichet.web.SharedNettyLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The booking service: for now the seat allocator, with its health on the actuator endpoint. */
@SpringBootApplication
@Import({SharedNettyLoops.class, AccessSecurity.class, BrokerHealth.class})
public class BookingApplication {

  /** Its configuration file is {@code booking.yml}, so it can share a JVM with other services. */
  public static final String CONFIG_NAME = "booking";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(BookingApplication.class)
        .main(BookingApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
