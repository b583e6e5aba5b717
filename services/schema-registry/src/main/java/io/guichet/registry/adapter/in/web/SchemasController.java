package io.guichet.registry.adapter.in.web;

import static io.guichet.registry.adapter.in.web.SubjectsController.ok;

import io.guichet.registry.application.SchemaRegistryService;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Schemas by global id: {@code /schemas/...} of the Confluent API, as serdes use it. */
@RestController
class SchemasController {

  private final SchemaRegistryService registry;

  SchemasController(SchemaRegistryService registry) {
    this.registry = registry;
  }

  @GetMapping("/schemas/ids/{id}")
  ResponseEntity<Map<String, Object>> schema(@PathVariable String id) {
    return ok(Map.of("schema", registry.schemaById(RequestBodies.id(id))));
  }

  @GetMapping("/schemas/ids/{id}/schema")
  ResponseEntity<String> rawSchema(@PathVariable String id) {
    return ok(registry.schemaById(RequestBodies.id(id)));
  }

  @GetMapping("/schemas/ids/{id}/versions")
  ResponseEntity<List<Map<String, Object>>> versions(@PathVariable String id) {
    return ok(
        registry.usesOf(RequestBodies.id(id)).stream()
            .map(use -> SubjectsController.describe(use, false))
            .toList());
  }

  @GetMapping("/schemas/ids/{id}/subjects")
  ResponseEntity<List<String>> subjects(@PathVariable String id) {
    return ok(
        registry.usesOf(RequestBodies.id(id)).stream()
            .map(use -> use.subject())
            .distinct()
            .toList());
  }

  @GetMapping("/schemas/types")
  ResponseEntity<List<String>> types() {
    return ok(List.of("AVRO"));
  }

  @GetMapping("/")
  ResponseEntity<Map<String, Object>> root() {
    return ok(Map.of());
  }
}
