package io.guichet.identity;

import io.guichet.access.AccessSecurity;
import io.guichet.web.BrokerHealth;
import io.guichet.web.SharedNettyLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The identity service: accounts, logins, second factors and the keys tokens are signed with. */
@SpringBootApplication
@Import({SharedNettyLoops.class, AccessSecurity.class, BrokerHealth.class})
public class IdentityApplication {

  /** Its configuration file is {@code identity.yml}, so it can share a JVM with other services. */
  public static final String CONFIG_NAME = "identity";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(IdentityApplication.class)
        .main(IdentityApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
