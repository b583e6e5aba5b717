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

  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** Swagger UI styles its elements inline; everything else is the page policy. */
  static final String DOCS_POLICY =
      PAGE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

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
              String path = exchange.getRequest().getPath().value();
              if (path.startsWith(ProxyFilter.PAGES)) {
                // A page loads its own script and style, and calls the API on this origin only.
                headers.set("Content-Security-Policy", PAGE_POLICY);
              } else if (ApiDocsPaths.viewer(path)) {
                headers.set("Content-Security-Policy", DOCS_POLICY);
              } else if (!headers.containsHeader("Content-Security-Policy")) {
                headers.set(
                    "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
              }
              return Mono.empty();
            });
    return chain.filter(exchange);
  }
}
