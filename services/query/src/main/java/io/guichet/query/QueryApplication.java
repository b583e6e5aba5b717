package io.guichet.query;

import io.guichet.access.AccessSecurity;
import io.guichet.web.BrokerHealth;
import io.guichet.web.SharedNettyLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The query service: read models of every public topic. */
@SpringBootApplication
@Import({SharedNettyLoops.class, AccessSecurity.class, BrokerHealth.class})
public class QueryApplication {

  /** Its configuration file is {@code query.yml}, so it can share a JVM with other services. */
  public static final String CONFIG_NAME = "query";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(QueryApplication.class)
        .main(QueryApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
