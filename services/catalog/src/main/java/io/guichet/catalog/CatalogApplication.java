package io.guichet.catalog;

import io.guichet.access.AccessSecurity;
import io.guichet.web.BrokerHealth;
import io.guichet.web.SharedNettyLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The catalog service: organizers' events and offers, published through the outbox. */
@SpringBootApplication
@Import({SharedNettyLoops.class, AccessSecurity.class, BrokerHealth.class})
public class CatalogApplication {

  /** Its configuration file is {@code catalog.yml}, so it can share a JVM with other services. */
  public static final String CONFIG_NAME = "catalog";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(CatalogApplication.class)
        .main(CatalogApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
