package io.guichet.access;

import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * A service's path rules, applied before "anything else needs a valid token": for example {@code
 * exchanges -> exchanges.pathMatchers(HttpMethod.GET, "/events/**").permitAll()}. Finer rules
 * (ownership: someone else's reservation answers 404) live in the service's handlers, with {@link
 * Caller#current()}.
 */
@FunctionalInterface
public interface AccessRules {

  void apply(ServerHttpSecurity.AuthorizeExchangeSpec exchanges);
}
