package io.guichet.query.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.query.application.Rebuilds;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Admins rebuild the read models from the topics: {@code POST /views/rebuilds} answers 202 with
 * where to follow it; the current models serve until the rebuilt ones replace them.
 */
@RestController
public class RebuildController {

  private final Rebuilds rebuilds;

  public RebuildController(Rebuilds rebuilds) {
    this.rebuilds = rebuilds;
  }

  @ApiResponse(responseCode = "202", description = "The rebuild is started: follow Location")
  @ProblemResponses({409})
  @PostMapping("/views/rebuilds")
  public Mono<ResponseEntity<?>> start() {
    return Caller.current()
        .flatMap(caller -> rebuilds.start(caller.accountId()))
        .<ResponseEntity<?>>map(
            rebuild ->
                ResponseEntity.accepted()
                    .location(URI.create("/views/rebuilds/" + rebuild.rebuildId()))
                    .body(rebuild))
        .onErrorResume(
            Rebuilds.AlreadyRunning.class,
            running ->
                Mono.just(
                    Problems.conflict(
                        "Rebuild "
                            + running.rebuildId()
                            + " is running; one rebuild runs at a time.")));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The rebuild's progress",
      content = @Content(schema = @Schema(implementation = io.guichet.query.domain.Rebuild.class)))
  @GetMapping("/views/rebuilds/{id}")
  public Mono<ResponseEntity<?>> rebuild(@PathVariable @Identifier String id) {
    return rebuilds
        .find(id)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .defaultIfEmpty(Problems.notFound("No rebuild " + id + " is known."));
  }
}
