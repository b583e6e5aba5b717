package io.guichet.gateway;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The security headers of every answer that leaves the gateway, its own refusals included: no
 * sniffing, no framing, no referrer, nothing loaded by an API answer, and HTTPS only for a year
 * (browsers ignore that one over plain HTTP, as in the standalone).
 */
final class SecurityHeaders implements WebFilter {

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    exchange
        .getResponse()
        .beforeCommit(
            () -> {
              HttpHeaders headers = exchange.getResponse().getHeaders();
              headers.set("X-Content-Type-Options", "nosniff");
              headers.set("X-Frame-Options", "DENY");
              headers.set("Referrer-Policy", "no-referrer");
              headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
              if (!headers.containsHeader("Content-Security-Policy")) {
                headers.set(
                    "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
              }
              return Mono.empty();
            });
    return chain.filter(exchange);
  }
}
