package io.guichet.gateway;

import io.guichet.web.Problems;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.function.Tuples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /openapi.json}: Guichet's API in one OpenAPI 3.1 document, merged from every service's
 * own ({@code /v3/api-docs}, generated from its code); {@code /docs} shows it (Swagger UI). A
 * complete document is kept for a minute; while a service does not answer, the document says which
 * and is not kept.
 */
@Hidden
@RestController
class ApiDocsController {

  private static final Logger LOG = LoggerFactory.getLogger(ApiDocsController.class);
  private static final Duration KEPT = Duration.ofMinutes(1);

  private final WebClient client;
  private final Map<String, URI> services;
  private volatile Mono<ObjectNode> kept;

  ApiDocsController(ReactorResourceFactory resources, GatewayProperties properties) {
    this.client =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(
                    HttpClient.create().runOn(resources.getLoopResources())))
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
            .build();
    this.services = new TreeMap<>(properties.services());
  }

  @GetMapping(path = "/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<?>> document() {
    Mono<ObjectNode> document = kept;
    if (document == null) {
      document = merged();
    }
    return document
        .<ResponseEntity<?>>map(
            merged ->
                ResponseEntity.ok()
                    .cacheControl(CacheControl.maxAge(KEPT).cachePublic())
                    .body(merged))
        .onErrorResume(
            e -> {
              LOG.warn("could not merge the services' API documents", e);
              return Mono.just(
                  Problems.unavailable(
                      "The API document cannot be put together now.", Duration.ofSeconds(5)));
            });
  }

  private Mono<ObjectNode> merged() {
    return Flux.fromIterable(services.entrySet())
        .flatMap(
            service ->
                client
                    .get()
                    .uri(service.getValue().toString().replaceAll("/+$", "") + "/v3/api-docs")
                    .accept(MediaType.APPLICATION_JSON)
                    .retrieve()
                    .bodyToMono(JsonNode.class)
                    .timeout(Duration.ofSeconds(5))
                    .map(document -> Tuples.of(service.getKey(), document))
                    .onErrorResume(
                        e -> {
                          LOG.warn("no API document from {}: {}", service.getKey(), e.toString());
                          return Mono.empty();
                        }))
        .collectMap(found -> found.getT1(), found -> found.getT2())
        .map(
            documents -> {
              List<String> missing = new ArrayList<>(services.keySet());
              missing.removeAll(documents.keySet());
              ObjectNode merged = ApiDocument.merge(documents, missing);
              if (missing.isEmpty()) {
                Mono<ObjectNode> complete = Mono.just(merged);
                kept = complete;
                Mono.delay(KEPT).subscribe(tick -> kept = null);
              }
              return merged;
            });
  }
}
