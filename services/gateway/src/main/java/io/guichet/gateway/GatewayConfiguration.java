package io.guichet.gateway;

import io.guichet.access.AccessProperties;
import io.guichet.access.AccessTokenDecoder;
import io.guichet.access.SigningKeyRing;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The gateway's filters, in the order a request meets them: security headers, CORS, the rate
 * limits, then the proxy.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({GatewayProperties.class, AccessProperties.class})
class GatewayConfiguration {

  @Bean
  ClientAddress clientAddress(GatewayProperties properties) {
    return new ClientAddress(properties.trustedProxies());
  }

  @Bean(destroyMethod = "close")
  SigningKeyRing signingKeyRing(AccessProperties access) {
    return SigningKeyRing.open(access.bootstrapServers(), access.schemaRegistryUrl());
  }

  @Bean
  ReactiveJwtDecoder accessTokens(SigningKeyRing keys, AccessProperties access) {
    return AccessTokenDecoder.of(
        keys, Clock.systemUTC(), access.clockSkew(), access.maxTokenLifetime());
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  SecurityHeaders securityHeaders() {
    return new SecurityHeaders();
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 10)
  CorsWebFilter corsFilter(GatewayProperties properties) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(properties.corsOrigins());
    cors.addAllowedMethod("GET");
    cors.addAllowedMethod("POST");
    cors.addAllowedMethod("PUT");
    cors.addAllowedMethod("DELETE");
    cors.addAllowedHeader(HttpHeaders.AUTHORIZATION);
    cors.addAllowedHeader(HttpHeaders.CONTENT_TYPE);
    cors.addAllowedHeader("Idempotency-Key");
    // A waiting room's admission pass, which a shop's page sends with its reservation.
    cors.addAllowedHeader("Admission-Pass");
    cors.addAllowedHeader("Last-Event-ID");
    cors.addExposedHeader(HttpHeaders.LOCATION);
    cors.addExposedHeader(HttpHeaders.RETRY_AFTER);
    cors.addExposedHeader("Idempotent-Replayed");
    // The refresh token is a cookie: a browser app sends it only with credentials allowed.
    cors.setAllowCredentials(true);
    cors.setMaxAge(Duration.ofHours(1));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/**", cors);
    return new CorsWebFilter(source);
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 20)
  RateLimitFilter rateLimitFilter(
      GatewayProperties properties,
      ClientAddress clients,
      ReactiveJwtDecoder accessTokens,
      MeterRegistry registry) {
    return new RateLimitFilter(properties.limits(), clients, accessTokens, registry);
  }

  @Bean(destroyMethod = "dispose")
  Disposable rateLimitSweep(RateLimitFilter limits) {
    return Flux.interval(Duration.ofMinutes(1)).subscribe(tick -> limits.forgetIdle());
  }

  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  ProxyFilter proxyFilter(
      GatewayProperties properties, ClientAddress clients, ReactorResourceFactory resources) {
    // Its own pool, sized for an on-sale's bursts; the gateway's event loops serve both sides.
    ConnectionProvider pool =
        ConnectionProvider.builder("gateway")
            .maxConnections(2_000)
            .pendingAcquireMaxCount(20_000)
            .maxIdleTime(Duration.ofSeconds(30))
            .build();
    HttpClient http =
        HttpClient.create(pool)
            .runOn(resources.getLoopResources())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
            .responseTimeout(properties.upstreamTimeout());
    WebClient client =
        WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    return new ProxyFilter(client, properties, clients);
  }
}
