package io.guichet.catalog.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.catalog.application.CatalogCommands;
import io.guichet.catalog.application.CatalogEvents;
import io.guichet.catalog.domain.Decision;
import io.guichet.web.FieldError;
import io.guichet.web.PageRequest;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /events}: organizers schedule and change events, publish offers, open and close sales and
 * cancel. Each accepted command answers the event as stored; its facts are published after the
 * commit.
 */
@RestController
public class EventController {

  private static final Logger LOG = LoggerFactory.getLogger(EventController.class);

  private final CatalogCommands commands;
  private final CatalogEvents events;

  public EventController(CatalogCommands commands, CatalogEvents events) {
    this.commands = commands;
    this.events = events;
  }

  /**
   * Schedules an event owned by the calling organizer. An admin schedules one for an organizer
   * named by {@code organizer}; an organizer may not name another.
   */
  @ApiResponse(
      responseCode = "201",
      description = "The event as stored",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @ProblemResponses({422})
  @PostMapping(path = "/events", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> schedule(@Valid @RequestBody CatalogRequests.NewEvent body) {
    return Caller.current()
        .flatMap(
            caller -> {
              String organizer = caller.isAdmin() ? body.organizer() : caller.accountId();
              if (organizer == null) {
                return invalid("organizer", "is required: an admin schedules for an organizer");
              }
              if (!caller.isAdmin()
                  && body.organizer() != null
                  && !organizer.equals(body.organizer())) {
                return invalid("organizer", "is you: an organizer schedules only their own events");
              }
              return stored(
                  commands
                      .schedule(organizer, body.details())
                      .map(decision -> answer(decision, true)));
            });
  }

  private static Mono<ResponseEntity<?>> invalid(String field, String message) {
    return Mono.just(Problems.invalid(List.of(new FieldError(field, message))));
  }

  @SecurityRequirements
  @ApiResponse(
      responseCode = "200",
      description = "The event",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @GetMapping("/events/{id}")
  public Mono<ResponseEntity<?>> event(@PathVariable @Identifier String id) {
    return events
        .find(id)
        .<ResponseEntity<?>>map(event -> ResponseEntity.ok(EventView.of(event)))
        .defaultIfEmpty(unknown(id));
  }

  /**
   * Events, newest first, {@code size} (1 to 100, default 20) a page from page 0; of one organizer
   * with {@code organizer}.
   */
  @SecurityRequirements
  @ApiResponse(responseCode = "200", description = "A page of events, newest first")
  @GetMapping("/events")
  public Mono<ResponseEntity<?>> events(
      @RequestParam(required = false) @Identifier String organizer,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size) {
    return PageRequest.answer(
        page,
        size,
        request ->
            events
                .page(organizer, request.page(), request.size())
                .map(EventView::of)
                .collectList()
                .zipWith(events.count(organizer))
                .map(found -> request.of(found.getT1(), found.getT2())));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The event as stored",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @ProblemResponses({409, 422})
  @PutMapping(path = "/events/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> change(
      @PathVariable @Identifier String id, @Valid @RequestBody CatalogRequests.Details body) {
    return stored(known(id, commands.changeDetails(id, body.details()), false));
  }

  @ApiResponse(
      responseCode = "201",
      description = "The event with its new offer",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @ProblemResponses({409, 422})
  @PostMapping(path = "/events/{id}/offers", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> publishOffer(
      @PathVariable @Identifier String id, @Valid @RequestBody CatalogRequests.Offer body) {
    return stored(known(id, commands.publishOffer(id, body.terms()), true));
  }

  /** Opens sales; the optional body may say when they close ({@code closesAt}, local time). */
  @ApiResponse(
      responseCode = "200",
      description = "The event, on sale",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @ProblemResponses({409, 422})
  @PostMapping("/events/{id}/sales/open")
  public Mono<ResponseEntity<?>> openSales(
      @PathVariable @Identifier String id,
      @Valid @RequestBody(required = false) CatalogRequests.OpenSales body) {
    if (body == null || body.closesAt() == null) {
      return stored(known(id, commands.openSales(id, null), false));
    }
    return stored(
        events
            .find(id)
            .flatMap(
                event ->
                    known(
                        id,
                        commands.openSales(
                            id, body.closesAt().atZone(event.details().timeZone()).toInstant()),
                        false))
            .defaultIfEmpty(unknown(id)));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The event, off sale",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @ProblemResponses({409, 422})
  @PostMapping("/events/{id}/sales/close")
  public Mono<ResponseEntity<?>> closeSales(@PathVariable @Identifier String id) {
    return known(id, commands.closeSales(id), false);
  }

  @ApiResponse(
      responseCode = "200",
      description = "The event, cancelled",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @ProblemResponses({409, 422})
  @PostMapping(path = "/events/{id}/cancel", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> cancel(
      @PathVariable @Identifier String id, @Valid @RequestBody CatalogRequests.Cancellation body) {
    return stored(known(id, commands.cancel(id, body.reason().strip()), false));
  }

  /** A command whose store failed: the client may retry it. */
  private static Mono<ResponseEntity<?>> stored(Mono<ResponseEntity<?>> answer) {
    return answer.onErrorResume(
        e -> {
          LOG.warn("catalog command failed", e);
          return Mono.just(
              Problems.unavailable(
                  "The change could not be stored; retry it.", Duration.ofSeconds(1)));
        });
  }

  private Mono<ResponseEntity<?>> known(String id, Mono<Decision> decision, boolean created) {
    return owned(
        id,
        () -> decision.<ResponseEntity<?>>map(d -> answer(d, created)).defaultIfEmpty(unknown(id)));
  }

  /**
   * Runs a change of an event if the caller may make it: its organizer, or an admin. Another
   * organizer's event is public, so the refusal is a 403, not a 404.
   */
  private Mono<ResponseEntity<?>> owned(
      String id, java.util.function.Supplier<Mono<ResponseEntity<?>>> change) {
    return Caller.current()
        .zipWith(events.find(id))
        .flatMap(
            found ->
                found.getT1().sees(found.getT2().organizerId())
                    ? change.get()
                    : Mono.just(
                        Problems.forbidden("Event " + id + " belongs to another organizer.")))
        .defaultIfEmpty(unknown(id));
  }

  private static ResponseEntity<?> answer(Decision decision, boolean created) {
    if (decision.isAccepted()) {
      EventView view = EventView.of(decision.event());
      return created
          ? ResponseEntity.status(HttpStatus.CREATED)
              .location(URI.create("/events/" + view.id()))
              .body(view)
          : ResponseEntity.ok(view);
    }
    List<FieldError> errors =
        decision.violations().stream()
            .map(v -> new FieldError(v.field() == null ? "event" : v.field(), v.message()))
            .toList();
    return decision.refusal() == Decision.Refusal.CONFLICT
        ? Problems.conflict(decision.violations().get(0).message(), errors)
        : Problems.unprocessable(errors);
  }

  private static ResponseEntity<?> unknown(String id) {
    return Problems.notFound("No event " + id + ".");
  }
}
