package io.guichet.access;

import io.guichet.platform.access.AccessTokens;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Spring Security for a Guichet service (imported by its application class): stateless, bearer
 * tokens only, checked locally with {@link AccessTokenDecoder}; health is open, the service's
 * {@link AccessRules} come next, and everything else needs a valid token. Refusals are problems
 * ({@link AccessProblems}); responses carry the usual security headers.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(AccessProperties.class)
public class AccessSecurity {

  private static final Logger LOG = LoggerFactory.getLogger(AccessSecurity.class);

  /** How long a starting service waits to know the keys published before it started. */
  private static final Duration KEYS_AT_START = Duration.ofSeconds(30);

  @Bean(destroyMethod = "close")
  SigningKeyRing signingKeyRing(AccessProperties properties) {
    SigningKeyRing ring =
        SigningKeyRing.open(properties.bootstrapServers(), properties.schemaRegistryUrl());
    if (!ring.awaitCaughtUp(KEYS_AT_START)) {
      LOG.warn("signing keys not read within {}; tokens are refused until they are", KEYS_AT_START);
    }
    return ring;
  }

  /**
   * No observations of Spring Security's own steps (a span and timers per filter chain phase, per
   * authentication and per authorization): on a command endpoint they cost more CPU than the token
   * check itself (a profile of the admission benchmark: about a third of the time spent in Spring
   * Security). The request's own observation (its span, the server's timers) stays.
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  /** Spring Security's strict firewall, its text checks without regular expressions. */
  @Bean
  ServerWebExchangeFirewall accessFirewall() {
    return FirewallText.strictFirewall();
  }

  @Bean
  ReactiveJwtDecoder accessTokenDecoder(
      SigningKeyRing keys, AccessProperties properties, ObjectProvider<Clock> clock) {
    return AccessTokenDecoder.of(
        keys,
        clock.getIfAvailable(Clock::systemUTC),
        properties.clockSkew(),
        properties.maxTokenLifetime());
  }

  /**
   * Health and metrics are open, the service's OpenAPI document too (the contract is public: the
   * gateway merges it), then the service's rules in their order.
   */
  static AccessTable table(ObjectProvider<AccessRules> rules) {
    AccessTable.Builder table =
        AccessTable.builder()
            .on("/actuator/health", "/actuator/health/**", "/actuator/prometheus")
            .open()
            .on(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**")
            .open();
    rules.orderedStream().forEach(rule -> rule.apply(table));
    return table.build();
  }

  @Bean
  SecurityWebFilterChain accessFilterChain(
      ServerHttpSecurity http, ReactiveJwtDecoder decoder, ObjectProvider<AccessRules> rules) {
    JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
    roles.setAuthoritiesClaimName(AccessTokens.ROLES);
    roles.setAuthorityPrefix("ROLE_");
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(roles);
    AccessProblems problems = new AccessProblems();
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        // No anonymous authentication: an open rule needs none, and anything else is refused
        // with 401 when no valid token came (AccessTable); it saved a filter per request.
        .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(
                        csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
        .authorizeExchange(exchanges -> exchanges.anyExchange().access(table(rules)))
        .oauth2ResourceServer(
            server ->
                server
                    .bearerTokenConverter(new BearerTokenHeader())
                    .jwt(
                        jwt ->
                            jwt.jwtDecoder(decoder)
                                .jwtAuthenticationConverter(
                                    new ReactiveJwtAuthenticationConverterAdapter(converter)))
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
        .exceptionHandling(
            exceptions ->
                exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .build();
  }
}
