package io.guichet.bench.bare;

import io.guichet.web.OwnNettyResources;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The comparison for the admission benchmark: a WebFlux endpoint on the same server stack that
 * takes the same body and answers a 202 of the same shape, doing nothing else.
 */
@SpringBootApplication(
    excludeName = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration")
@Import(OwnNettyResources.class)
public class BareEndpointApplication {

  /** Starts it on a free port of 127.0.0.1. */
  public static ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(BareEndpointApplication.class)
        .properties(
            "spring.config.name=bare-endpoint",
            "server.port=0",
            "server.address=127.0.0.1",
            "spring.main.banner-mode=off")
        .run();
  }

  /** The endpoint. */
  @RestController
  static class Endpoint {
    @PostMapping(path = "/reservations", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, String>>> accept(@RequestBody String body) {
      String id = UUID.randomUUID().toString();
      return Mono.just(
          ResponseEntity.accepted()
              .body(
                  Map.of(
                      "reservationId", id, "status", "REQUESTED", "self", "/reservations/" + id)));
    }
  }
}
