package io.guichet.registry.adapter.in.web;

import io.guichet.registry.application.SchemaRegistryService;
import io.guichet.registry.domain.SchemaVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Subjects and their versions: {@code /subjects/...} of the Confluent API. */
@RestController
class SubjectsController {

  private final SchemaRegistryService registry;

  SubjectsController(SchemaRegistryService registry) {
    this.registry = registry;
  }

  @GetMapping("/subjects")
  ResponseEntity<List<String>> subjects() {
    return ok(registry.subjects());
  }

  @GetMapping("/subjects/{subject}/versions")
  ResponseEntity<List<Integer>> versions(@PathVariable String subject) {
    return ok(registry.versions(subject));
  }

  @GetMapping("/subjects/{subject}/versions/{version}")
  ResponseEntity<Map<String, Object>> version(
      @PathVariable String subject, @PathVariable String version) {
    return ok(describe(registry.version(subject, RequestBodies.version(version)), true));
  }

  @GetMapping("/subjects/{subject}/versions/{version}/schema")
  ResponseEntity<String> rawSchema(@PathVariable String subject, @PathVariable String version) {
    return ok(registry.version(subject, RequestBodies.version(version)).schema());
  }

  /** Registers a schema; the registry's writer thread logs it, the event loop only waits. */
  @PostMapping("/subjects/{subject}/versions")
  Mono<ResponseEntity<Map<String, Object>>> register(
      @PathVariable String subject, @RequestBody(required = false) String body) {
    JsonNode request = RequestBodies.object(body);
    return Mono.fromFuture(
            registry.register(
                subject,
                RequestBodies.text(request, "schema"),
                RequestBodies.text(request, "schemaType")))
        .map(version -> ok(Map.<String, Object>of("id", version.id())));
  }

  /** Finds which version of a subject a schema is. */
  @PostMapping("/subjects/{subject}")
  ResponseEntity<Map<String, Object>> lookUp(
      @PathVariable String subject, @RequestBody(required = false) String body) {
    JsonNode request = RequestBodies.object(body);
    return ok(
        describe(
            registry.lookUp(
                subject,
                RequestBodies.text(request, "schema"),
                RequestBodies.text(request, "schemaType")),
            true));
  }

  /** A subject version in Confluent's field order: subject, version, id and, if asked, schema. */
  static Map<String, Object> describe(SchemaVersion version, boolean withSchema) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("subject", version.subject());
    answer.put("version", version.version());
    if (withSchema) {
      answer.put("id", version.id());
      answer.put("schema", version.schema());
    }
    return answer;
  }

  static <T> ResponseEntity<T> ok(T body) {
    return ResponseEntity.ok().contentType(RegistryMediaTypes.V1).body(body);
  }
}
