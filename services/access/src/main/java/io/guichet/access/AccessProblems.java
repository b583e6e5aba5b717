package io.guichet.access;

import io.guichet.web.Problems;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 401 and 403 as RFC 9457 problems. A 401 carries {@code WWW-Authenticate: Bearer} (RFC 6750), with
 * {@code error="invalid_token"} when a token was sent but refused; the detail never says why a
 * token was refused, so it tells a forger nothing.
 */
final class AccessProblems implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException refused) {
    boolean tokenRefused =
        refused instanceof InvalidBearerTokenException
            || exchange.getRequest().getHeaders().containsHeader("Authorization");
    exchange
        .getResponse()
        .getHeaders()
        .set(
            "WWW-Authenticate",
            tokenRefused
                ? "Bearer realm=\"guichet\", error=\"invalid_token\""
                : "Bearer realm=\"guichet\"");
    return write(
        exchange.getResponse(),
        HttpStatus.UNAUTHORIZED,
        "unauthorized",
        "Unauthorized",
        tokenRefused
            ? "The access token is invalid or expired; log in or refresh it."
            : "This needs an access token (Authorization: Bearer ...).");
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
    return write(
        exchange.getResponse(),
        HttpStatus.FORBIDDEN,
        "forbidden",
        "Forbidden",
        "Your account's roles do not allow this.");
  }

  private static Mono<Void> write(
      ServerHttpResponse response, HttpStatus status, String type, String title, String detail) {
    return Problems.write(response, Problems.of(status, type, title, detail, List.of()));
  }
}
