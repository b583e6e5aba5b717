package io.guichet.registry.adapter.in.web;

import static io.guichet.registry.adapter.in.web.SubjectsController.ok;

import io.guichet.registry.application.SchemaRegistryService;
import io.guichet.registry.domain.RegistryError;
import io.guichet.schemas.compatibility.CompatibilityLevel;
import io.guichet.schemas.compatibility.Incompatibility;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Compatibility settings ({@code /config}) and checks ({@code /compatibility}) of the Confluent
 * API.
 */
@RestController
class ConfigController {

  private final SchemaRegistryService registry;

  ConfigController(SchemaRegistryService registry) {
    this.registry = registry;
  }

  @GetMapping("/config")
  ResponseEntity<Map<String, Object>> global() {
    return ok(Map.of("compatibilityLevel", registry.globalLevel().name()));
  }

  @PutMapping("/config")
  Mono<ResponseEntity<Map<String, Object>>> setGlobal(@RequestBody(required = false) String body) {
    return set(null, body);
  }

  @GetMapping("/config/{subject}")
  ResponseEntity<Map<String, Object>> subject(
      @PathVariable String subject, @RequestParam(defaultValue = "false") boolean defaultToGlobal) {
    CompatibilityLevel level =
        registry
            .subjectLevel(subject)
            .or(
                () ->
                    defaultToGlobal
                        ? java.util.Optional.of(registry.globalLevel())
                        : java.util.Optional.empty())
            .orElseThrow(() -> RegistryError.subjectCompatibilityNotConfigured(subject));
    return ok(Map.of("compatibilityLevel", level.name()));
  }

  @PutMapping("/config/{subject}")
  Mono<ResponseEntity<Map<String, Object>>> setSubject(
      @PathVariable String subject, @RequestBody(required = false) String body) {
    return set(subject, body);
  }

  @DeleteMapping("/config/{subject}")
  Mono<ResponseEntity<Map<String, Object>>> clearSubject(@PathVariable String subject) {
    return Mono.fromFuture(registry.clearLevel(subject))
        .map(level -> ok(Map.<String, Object>of("compatibilityLevel", level.name())));
  }

  @PostMapping("/compatibility/subjects/{subject}/versions/{version}")
  ResponseEntity<Map<String, Object>> checkAgainstVersion(
      @PathVariable String subject,
      @PathVariable String version,
      @RequestParam(defaultValue = "false") boolean verbose,
      @RequestBody(required = false) String body) {
    int parsed = RequestBodies.version(version);
    Integer against = parsed == -1 ? registry.version(subject, -1).version() : parsed;
    return check(subject, against, verbose, body);
  }

  @PostMapping("/compatibility/subjects/{subject}/versions")
  ResponseEntity<Map<String, Object>> checkAgainstAll(
      @PathVariable String subject,
      @RequestParam(defaultValue = "false") boolean verbose,
      @RequestBody(required = false) String body) {
    return check(subject, null, verbose, body);
  }

  private ResponseEntity<Map<String, Object>> check(
      String subject, Integer version, boolean verbose, String body) {
    var request = RequestBodies.object(body);
    List<Incompatibility> problems =
        registry.compatibility(
            subject,
            version,
            RequestBodies.text(request, "schema"),
            RequestBodies.text(request, "schemaType"));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("is_compatible", problems.isEmpty());
    if (verbose) {
      answer.put("messages", problems.stream().map(Incompatibility::describe).toList());
    }
    return ok(answer);
  }

  private Mono<ResponseEntity<Map<String, Object>>> set(String subject, String body) {
    String level = RequestBodies.text(RequestBodies.object(body), "compatibility");
    return Mono.fromFuture(registry.setLevel(subject, level))
        .map(set -> ok(Map.<String, Object>of("compatibility", set.name())));
  }
}
