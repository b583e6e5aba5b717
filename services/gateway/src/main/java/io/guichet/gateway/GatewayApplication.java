package io.guichet.gateway;

import io.guichet.web.SharedNettyLoops;
import io.guichet.web.WithoutSpringSecurity;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The gateway application. It keeps no tables and authorizes nothing itself (the services do), so
 * it excludes R2DBC and Spring Security's auto-configuration, which the standalone's shared
 * classpath would otherwise bring.
 */
@SpringBootApplication(
    excludeName = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration")
@Import(SharedNettyLoops.class)
public class GatewayApplication {

  /** Its configuration file is {@code gateway.yml}, so it can share a JVM with other services. */
  public static final String CONFIG_NAME = "gateway";

  public static SpringApplication application() {
    return new SpringApplicationBuilder(GatewayApplication.class)
        .main(GatewayApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME, WithoutSpringSecurity.PROPERTY)
        .build();
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
