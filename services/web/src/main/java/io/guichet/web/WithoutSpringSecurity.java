package io.guichet.web;

/**
 * Spring Boot's security auto-configuration, for applications that must not get it when they share
 * a classpath with a service that uses Spring Security (the standalone JVM runs them all): without
 * this, Boot would put a generated password in front of them. The schema registry (a development
 * stand-in for Confluent's) uses it, and the gateway, which leaves access to the services behind
 * it.
 */
public final class WithoutSpringSecurity {

  public static final String PROPERTY =
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,"
          + "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration,"
          + "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration";

  private WithoutSpringSecurity() {}
}
