package io.guichet.catalog.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.catalog.application.AccessCodeStore;
import io.guichet.catalog.application.CatalogCommands;
import io.guichet.catalog.application.CatalogEvents;
import io.guichet.catalog.domain.AccessCode;
import io.guichet.catalog.domain.CatalogEvent;
import io.guichet.catalog.domain.CatalogFact;
import io.guichet.catalog.domain.Decision;
import io.guichet.platform.ids.AccessCodes;
import io.guichet.web.FieldError;
import io.guichet.web.PageRequest;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.RequestLogs;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
  private final AccessCodeStore codes;
  private final Clock clock = Clock.systemUTC();

  public EventController(CatalogCommands commands, CatalogEvents events, AccessCodeStore codes) {
    this.commands = commands;
    this.events = events;
    this.codes = codes;
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

  /**
   * The event. Hidden offers are listed for its organizer, and for a buyer who gives an {@code
   * accessCode} that unlocks them (a code that is not the event's, or not valid now, is a 422).
   */
  @SecurityRequirements
  @ApiResponse(
      responseCode = "200",
      description = "The event",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @ProblemResponses({422})
  @GetMapping("/events/{id}")
  public Mono<ResponseEntity<?>> event(
      @PathVariable @Identifier String id,
      @RequestParam(required = false)
          @Pattern(regexp = AccessCodes.PATTERN, message = AccessCodes.RULE)
          String accessCode) {
    return events
        .find(id)
        .flatMap(
            event ->
                reader()
                    .flatMap(
                        caller -> {
                          if (accessCode == null || organizes(caller, event)) {
                            return Mono.just(ResponseEntity.ok(viewFor(caller, event)));
                          }
                          return codes
                              .find(id, AccessCodes.canonical(accessCode))
                              .filter(code -> code.validAt(clock.instant()))
                              .<ResponseEntity<?>>map(
                                  code ->
                                      ResponseEntity.ok(EventView.of(event, event.offersFor(code))))
                              .defaultIfEmpty(
                                  Problems.unprocessable(
                                      List.of(
                                          new FieldError(
                                              "accessCode",
                                              "is not a code of this event, or not valid now"))));
                        }))
        .defaultIfEmpty(unknown(id));
  }

  /**
   * Events, newest first, {@code size} (1 to 100, default 20) a page from page 0; of one organizer
   * with {@code organizer}. Hidden offers are listed only for their organizer.
   */
  @SecurityRequirements
  @ApiResponse(responseCode = "200", description = "A page of events, newest first")
  @GetMapping("/events")
  public Mono<ResponseEntity<?>> events(
      @RequestParam(required = false) @Identifier String organizer,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size) {
    return reader()
        .flatMap(
            caller ->
                PageRequest.answer(
                    page,
                    size,
                    request ->
                        events
                            .page(organizer, request.page(), request.size())
                            .map(event -> viewFor(caller, event))
                            .collectList()
                            .zipWith(events.count(organizer))
                            .map(found -> request.of(found.getT1(), found.getT2()))));
  }

  /**
   * Creates an access code: for presales ({@code presale}), hidden offers (those it names, or all
   * when it names none) and reductions ({@code discountPercent}); single use unless {@code uses}
   * says more. The answer holds the code to give buyers (generated when none was asked for).
   */
  @ApiResponse(
      responseCode = "201",
      description = "The code as stored",
      content = @Content(schema = @Schema(implementation = AccessCodeView.class)))
  @ProblemResponses({409, 422})
  @PostMapping(path = "/events/{id}/access-codes", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> createAccessCode(
      @PathVariable @Identifier String id, @Valid @RequestBody CatalogRequests.NewAccessCode body) {
    return stored(
        owned(
            id,
            () ->
                commands
                    .createAccessCode(id, body.terms())
                    .<ResponseEntity<?>>map(
                        decision -> {
                          if (!decision.isAccepted()) {
                            return refused(decision);
                          }
                          AccessCode code =
                              ((CatalogFact.AccessCodeCreated) decision.facts().get(0)).code();
                          return ResponseEntity.status(HttpStatus.CREATED)
                              .location(URI.create("/events/" + id + "/access-codes/" + code.id()))
                              .body(AccessCodeView.of(code, decision.event().details().timeZone()));
                        })
                    .defaultIfEmpty(unknown(id))));
  }

  /** The event's access codes, newest first, a page at a time; for its organizer. */
  @ApiResponse(responseCode = "200", description = "A page of the event's codes, newest first")
  @GetMapping("/events/{id}/access-codes")
  public Mono<ResponseEntity<?>> accessCodes(
      @PathVariable @Identifier String id,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size) {
    return ownedEvent(
        id,
        event ->
            PageRequest.answer(
                page,
                size,
                request ->
                    codes
                        .page(id, request.page(), request.size())
                        .map(code -> AccessCodeView.of(code, event.details().timeZone()))
                        .collectList()
                        .zipWith(codes.count(id))
                        .map(found -> request.of(found.getT1(), found.getT2()))));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The code",
      content = @Content(schema = @Schema(implementation = AccessCodeView.class)))
  @GetMapping("/events/{id}/access-codes/{codeId}")
  public Mono<ResponseEntity<?>> accessCode(
      @PathVariable @Identifier String id, @PathVariable @Identifier String codeId) {
    return ownedEvent(
        id,
        event ->
            codes
                .findById(id, codeId)
                .<ResponseEntity<?>>map(
                    code -> ResponseEntity.ok(AccessCodeView.of(code, event.details().timeZone())))
                .defaultIfEmpty(
                    Problems.notFound("Event " + id + " has no access code " + codeId + ".")));
  }

  /** The event as this reader sees it: all its offers for its organizer, the public ones else. */
  private static EventView viewFor(Optional<Caller> caller, CatalogEvent event) {
    return organizes(caller, event)
        ? EventView.of(event)
        : EventView.of(event, event.offersFor(null));
  }

  private static boolean organizes(Optional<Caller> caller, CatalogEvent event) {
    return caller.map(c -> c.sees(event.organizerId())).orElse(false);
  }

  /** The caller, if the request carries a verified token (the catalog is public). */
  private static Mono<Optional<Caller>> reader() {
    return Caller.current().map(Optional::of).defaultIfEmpty(Optional.empty());
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

  /**
   * Seats the event on a version of one of its organizer's seat layouts, before sales open: each
   * seat category of the layout must be sold by exactly one offer of the event (one seat per
   * ticket, not hidden), whose seats on sale become the category's seats; a 422 names the category
   * otherwise. Other offers stay general admission.
   */
  @ApiResponse(
      responseCode = "200",
      description = "The event, seated",
      content = @Content(schema = @Schema(implementation = EventView.class)))
  @ProblemResponses({409, 422})
  @PutMapping(path = "/events/{id}/seating", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> assignSeating(
      @PathVariable @Identifier String id,
      @Valid @RequestBody CatalogRequests.SeatingRequest body) {
    return stored(known(id, commands.assignSeating(id, body.layout(), body.version()), false));
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

  /**
   * A command whose store failed: the client may retry it (503 with Retry-After). The catalog's
   * controllers all answer so.
   */
  static Mono<ResponseEntity<?>> stored(Mono<ResponseEntity<?>> answer) {
    return answer.onErrorResume(
        e ->
            RequestLogs.logged(
                () -> LOG.warn("catalog command failed", e),
                Mono.just(
                    Problems.unavailable(
                        "The change could not be stored; retry it.", Duration.ofSeconds(1)))));
  }

  /** Reads an event the caller owns (or an admin); 403 for another organizer's, 404 if unknown. */
  private Mono<ResponseEntity<?>> ownedEvent(
      String id, Function<CatalogEvent, Mono<ResponseEntity<?>>> read) {
    return Caller.current()
        .zipWith(events.find(id))
        .flatMap(
            found ->
                found.getT1().sees(found.getT2().organizerId())
                    ? read.apply(found.getT2())
                    : Mono.just(
                        Problems.forbidden("Event " + id + " belongs to another organizer.")))
        .defaultIfEmpty(unknown(id));
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
    return ownedEvent(id, event -> change.get());
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
    return refused(decision);
  }

  private static ResponseEntity<?> refused(Decision decision) {
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
