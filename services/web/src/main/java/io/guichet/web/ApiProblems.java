package io.guichet.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers every error that reaches the web layer of a Guichet service as RFC 9457 problem+json:
 * bodies that do not bind or validate (one entry per field, named as the client sent it), the
 * framework's own refusals (unknown route, method, media type, size) and, for anything unforeseen,
 * a 500 that says nothing of the server's insides (the cause is logged with the request). It runs
 * before Spring Boot's error handler, whose JSON is not problem+json and may carry exception text.
 */
@AutoConfiguration
public class ApiProblems {

  private static final Logger LOG = LoggerFactory.getLogger(ApiProblems.class);

  @Bean
  @Order(-2)
  WebExceptionHandler problemAnswers() {
    return ApiProblems::answer;
  }

  static Mono<Void> answer(ServerWebExchange exchange, Throwable error) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(error);
    }
    ResponseEntity<ProblemDetail> problem = ErrorProblems.of(error);
    exchange.getResponse().getHeaders().clearContentHeaders();
    Mono<Void> answer = Problems.write(exchange.getResponse(), problem);
    if (!problem.getStatusCode().is5xxServerError()) {
      return answer;
    }
    return RequestLogs.logged(
        () ->
            LOG.error(
                "{} {} failed",
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value(),
                error),
        answer);
  }
}
