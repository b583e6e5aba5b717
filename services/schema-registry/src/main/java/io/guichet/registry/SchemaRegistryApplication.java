package io.guichet.registry;

import io.guichet.web.WithoutSpringSecurity;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The embedded default's schema registry (port 8081, as Confluent's). It keeps no tables: when it
 * shares a JVM (the standalone, a service's tests) with services that use R2DBC, it must not
 * configure a database of its own.
 */
@SpringBootApplication(
    excludeName = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration")
// Its own event loops: services of its JVM wait for its answers on theirs.
@Import(RegistryNettyLoops.class)
public class SchemaRegistryApplication {

  /**
   * Its configuration file is {@code schema-registry.yml}, so it can share a JVM with other
   * services.
   */
  public static final String CONFIG_NAME = "schema-registry";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(SchemaRegistryApplication.class)
        .main(SchemaRegistryApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME, WithoutSpringSecurity.PROPERTY)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
