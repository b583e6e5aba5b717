package io.guichet.gate;

import io.guichet.access.AccessSecurity;
import io.guichet.web.BrokerHealth;
import io.guichet.web.SharedNettyLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The gate service: scans at the entrance, each ticket accepted once. */
@SpringBootApplication
@Import({SharedNettyLoops.class, AccessSecurity.class, BrokerHealth.class})
public class GateApplication {

  /** Its configuration file is {@code gate.yml}, so it can share a JVM with other services. */
  public static final String CONFIG_NAME = "gate";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(GateApplication.class)
        .main(GateApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
