package io.guichet.web;

import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Refuses, with a 400 problem, any request whose path or query holds a control character (a {@code
 * %00} in an id, for example): no id has one, and PostgreSQL refuses a NUL in text, which would
 * otherwise surface as a 500. Every Guichet HTTP service gets it (Spring Boot auto-configuration).
 */
@Configuration(proxyBeanMethods = false)
public class RequestHygiene {

  private static final String PROBLEM =
      "{\"type\":\"/problems/malformed-request\",\"title\":\"Malformed request\",\"status\":400,"
          + "\"detail\":\"The request's path or query holds a control character.\"}";

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  WebFilter controlCharactersRefused() {
    return (exchange, chain) -> clean(exchange) ? chain.filter(exchange) : refuse(exchange);
  }

  private static boolean clean(ServerWebExchange exchange) {
    for (PathContainer.Element element : exchange.getRequest().getPath().elements()) {
      if (element instanceof PathContainer.PathSegment segment
          && hasControl(segment.valueToMatch())) {
        return false;
      }
    }
    return exchange.getRequest().getQueryParams().entrySet().stream()
        .noneMatch(
            entry ->
                hasControl(entry.getKey())
                    || entry.getValue().stream().anyMatch(RequestHygiene::hasControl));
  }

  static boolean hasControl(String text) {
    return text != null && text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static Mono<Void> refuse(ServerWebExchange exchange) {
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatus.BAD_REQUEST);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    DataBuffer body = response.bufferFactory().wrap(PROBLEM.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(body));
  }
}
