package io.guichet.catalog.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.catalog.application.CatalogEvents;
import io.guichet.catalog.application.SeatLayouts;
import io.guichet.catalog.domain.LayoutVersion;
import io.guichet.catalog.domain.Violation;
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
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
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
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /seat-layouts}: an organizer imports a venue's seating (sections, rows, seats) as a JSON
 * document, revises it (each revision a new version, the earlier ones kept) and reads it back. A
 * layout is its organizer's (and admins'): another organizer gets a 403.
 */
@RestController
public class SeatLayoutController {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SeatLayouts layouts;
  private final CatalogEvents events;

  public SeatLayoutController(SeatLayouts layouts, CatalogEvents events) {
    this.layouts = layouts;
    this.events = events;
  }

  /**
   * The seat map of an event sold by seat, for anyone to draw (issue 21): every seat of the layout
   * version it is sold on, and the offer of each category. 404 for an unknown event or one sold
   * without seats.
   */
  @SecurityRequirements
  @ApiResponse(
      responseCode = "200",
      description = "The event's seat map",
      content = @Content(schema = @Schema(implementation = SeatMapView.class)))
  @GetMapping("/events/{id}/seat-map")
  public Mono<ResponseEntity<?>> seatMap(@PathVariable @Identifier String id) {
    return events
        .find(id)
        .filter(event -> event.seating() != null)
        .flatMap(
            event ->
                layouts
                    .version(event.seating().layoutId(), event.seating().layoutVersion())
                    .<ResponseEntity<?>>map(
                        version -> ResponseEntity.ok(SeatMapView.of(id, event.seating(), version))))
        .defaultIfEmpty(Problems.notFound("No event " + id + " is sold by seat."));
  }

  /**
   * Imports a layout: version 1 of a new layout of the caller. Each row lists its seats or numbers
   * them; a broken rule (a label twice, two seats at one point, a seat without a category...) is a
   * 422 naming the section, row and seat.
   */
  @ApiResponse(
      responseCode = "201",
      description = "The layout as stored, version 1",
      content = @Content(schema = @Schema(implementation = SeatLayoutView.class)))
  @ProblemResponses({422})
  @PostMapping(path = "/seat-layouts", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> create(
      @Valid @RequestBody SeatLayoutRequests.LayoutDocument body) {
    SeatLayoutRequests.LayoutResult result = body.layout();
    if (result.layout() == null) {
      return Mono.just(refused(result.violations()));
    }
    return EventController.stored(
        Caller.current()
            .flatMap(caller -> layouts.create(caller.accountId(), result.layout(), document(body)))
            .<ResponseEntity<?>>map(
                created ->
                    ResponseEntity.status(HttpStatus.CREATED)
                        .location(URI.create("/seat-layouts/" + created.layoutId()))
                        .body(SeatLayoutView.of(created, false))));
  }

  /** Revises a layout: the document becomes its next version; the earlier versions stay. */
  @ApiResponse(
      responseCode = "200",
      description = "The layout's new version",
      content = @Content(schema = @Schema(implementation = SeatLayoutView.class)))
  @ProblemResponses({422})
  @PutMapping(path = "/seat-layouts/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> revise(
      @PathVariable @Identifier String id,
      @Valid @RequestBody SeatLayoutRequests.LayoutDocument body) {
    SeatLayoutRequests.LayoutResult result = body.layout();
    if (result.layout() == null) {
      return Mono.just(refused(result.violations()));
    }
    return owned(
        id,
        latest ->
            EventController.stored(
                layouts
                    .revise(id, result.layout(), document(body))
                    .<ResponseEntity<?>>map(
                        revised -> ResponseEntity.ok(SeatLayoutView.of(revised, false)))
                    .defaultIfEmpty(unknown(id))));
  }

  /** The caller's layouts (their latest versions), most recently changed first. */
  @ApiResponse(responseCode = "200", description = "A page of the caller's layouts")
  @GetMapping("/seat-layouts")
  public Mono<ResponseEntity<?>> list(
      @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
    return Caller.current()
        .flatMap(
            caller ->
                PageRequest.answer(
                    page,
                    size,
                    request ->
                        layouts
                            .store()
                            .page(caller.accountId(), request.page(), request.size())
                            .map(version -> SeatLayoutView.of(version, false))
                            .collectList()
                            .zipWith(layouts.store().count(caller.accountId()))
                            .map(found -> request.of(found.getT1(), found.getT2()))));
  }

  /** The layout's latest version, with its document. */
  @ApiResponse(
      responseCode = "200",
      description = "The layout's latest version",
      content = @Content(schema = @Schema(implementation = SeatLayoutView.class)))
  @GetMapping("/seat-layouts/{id}")
  public Mono<ResponseEntity<?>> layout(@PathVariable @Identifier String id) {
    return owned(id, latest -> Mono.just(ResponseEntity.ok(SeatLayoutView.of(latest, true))));
  }

  /** One version of the layout, with its document. */
  @ApiResponse(
      responseCode = "200",
      description = "That version of the layout",
      content = @Content(schema = @Schema(implementation = SeatLayoutView.class)))
  @GetMapping("/seat-layouts/{id}/versions/{version}")
  public Mono<ResponseEntity<?>> version(
      @PathVariable @Identifier String id,
      @PathVariable
          @Pattern(regexp = "[1-9][0-9]{0,8}", message = "must be a version number: 1, 2...")
          String version) {
    return owned(
        id,
        latest ->
            layouts
                .version(id, Integer.parseInt(version))
                .<ResponseEntity<?>>map(found -> ResponseEntity.ok(SeatLayoutView.of(found, true)))
                .defaultIfEmpty(
                    Problems.notFound("Seat layout " + id + " has no version " + version + ".")));
  }

  /**
   * Goes on with the layout's latest version if the caller may see it: its organizer or an admin
   * (403 for another organizer, 404 if unknown).
   */
  private Mono<ResponseEntity<?>> owned(
      String id, Function<LayoutVersion, Mono<ResponseEntity<?>>> then) {
    return Caller.current()
        .zipWith(layouts.latest(id))
        .flatMap(
            found ->
                found.getT1().sees(found.getT2().organizerId())
                    ? then.apply(found.getT2())
                    : Mono.just(
                        Problems.forbidden("Seat layout " + id + " belongs to another organizer.")))
        .defaultIfEmpty(unknown(id));
  }

  /** The document as stored: what was sent, without the fields left out. */
  private static String document(SeatLayoutRequests.LayoutDocument body) {
    return JSON.writeValueAsString(body);
  }

  private static ResponseEntity<?> refused(List<Violation> violations) {
    return Problems.unprocessable(
        violations.stream()
            .map(v -> new FieldError(v.field() == null ? "layout" : v.field(), v.message()))
            .toList());
  }

  private static ResponseEntity<?> unknown(String id) {
    return Problems.notFound("No seat layout " + id + ".");
  }
}
