package io.guichet.registry.adapter.in.web;

import io.guichet.registry.domain.RegistryError;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Every error, from the registry's rules or from the web layer (unknown path, wrong method, body
 * too large), answered as the Confluent registry answers: {@code {"error_code": 40401, "message":
 * "..."}}. Only a failure of the store itself is a 5xx.
 */
@Component
@Order(-2)
class ConfluentErrorHandler implements WebExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ConfluentErrorHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable thrown) {
    Throwable error =
        thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    int status;
    int errorCode;
    String message;
    if (error instanceof RegistryError refusal) {
      status = refusal.httpStatus();
      errorCode = refusal.errorCode();
      message = refusal.getMessage();
    } else if (hasCause(error, DataBufferLimitException.class)) {
      status = 413;
      errorCode = 413;
      message = "The request body is too large";
    } else if (error instanceof ResponseStatusException web) {
      HttpStatusCode code = web.getStatusCode();
      status = code.value();
      errorCode = code.value();
      HttpStatus known = HttpStatus.resolve(code.value());
      message = "HTTP " + code.value() + " " + (known == null ? "" : known.getReasonPhrase());
    } else {
      LOG.error(
          "schema registry failed on {} {}",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          error);
      status = 500;
      errorCode = 50001;
      message = "Error in the backend data store: " + error.getMessage();
    }
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(error);
    }
    byte[] body =
        JSON.createObjectNode()
            .put("error_code", errorCode)
            .put("message", message)
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(status));
    exchange.getResponse().getHeaders().setContentType(RegistryMediaTypes.V1);
    return exchange
        .getResponse()
        .writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
