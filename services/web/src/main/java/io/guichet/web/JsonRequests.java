package io.guichet.web;

import java.util.function.Function;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Mono;

/**
 * Reads a JSON body and answers it: a body that is not a JSON object gets a 400 malformed-request
 * problem; a handler that returns null (because fields have errors) gets a 400 naming each field.
 */
public final class JsonRequests {

  private JsonRequests() {}

  public static Mono<ResponseEntity<?>> answer(
      String body, Function<JsonFields, Mono<ResponseEntity<?>>> handler) {
    JsonFields fields;
    try {
      fields = JsonFields.parse(body);
    } catch (JsonFields.MalformedJson e) {
      return Mono.just(Problems.malformed(e.getMessage()));
    }
    Mono<ResponseEntity<?>> answer = handler.apply(fields);
    return answer == null || !fields.errors().isEmpty()
        ? Mono.just(Problems.invalid(fields.errors()))
        : answer;
  }
}
