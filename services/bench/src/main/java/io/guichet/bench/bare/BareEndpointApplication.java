package io.guichet.bench.bare;

import io.guichet.web.SharedNettyLoops;
import io.guichet.web.WithoutSpringSecurity;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
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
@Import(SharedNettyLoops.class)
public class BareEndpointApplication {

  /** Starts it on a free port of 127.0.0.1. */
  public static ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(BareEndpointApplication.class)
        .properties(
            "spring.config.name=bare-endpoint",
            "server.port=0",
            "server.address=127.0.0.1",
            // Booking's classpath brings Spring Security: without this, every answer is a 401.
            WithoutSpringSecurity.PROPERTY,
            "spring.main.banner-mode=off")
        // Nor does it shed load: it is the measure of what the server stack does unhindered
        // (arguments, so that no system property given to the benchmark's services turns it on).
        .run(
            "--guichet.web.load-shedding.adaptive=false",
            "--guichet.web.load-shedding.max-in-flight=1000000",
            "--guichet.web.load-shedding.max-loop-lag=0ms");
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

    /** The waiting room benchmark's comparison: a join's answer, with nothing recorded. */
    @PostMapping("/waiting-rooms/{eventId}/queue")
    Mono<ResponseEntity<Map<String, String>>> join(@PathVariable String eventId) {
      String ticket = UUID.randomUUID().toString();
      return Mono.just(
          ResponseEntity.accepted()
              .body(
                  Map.of(
                      "queueTicket", ticket, "place", "/waiting-rooms/" + eventId + "/queue/me")));
    }
  }
}
