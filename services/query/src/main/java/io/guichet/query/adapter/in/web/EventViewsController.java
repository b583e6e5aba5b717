package io.guichet.query.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.query.application.ReadModels;
import io.guichet.query.domain.Availability;
import io.guichet.query.domain.EventSummary;
import io.guichet.query.domain.SeatStatuses;
import io.guichet.web.PageRequest;
import io.guichet.web.Problems;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An event's availability (for anyone signed in, and live), and its sales statistics for its
 * organizer or an admin: another organizer's event answers as an unknown one (404).
 */
@RestController
public class EventViewsController {

  private final ReadModels views;
  private final Clock clock;

  public EventViewsController(ReadModels views, Clock clock) {
    this.views = views;
    this.clock = clock;
  }

  private static ResponseEntity<?> unknown(String id) {
    return Problems.notFound("No event " + id + " is known.");
  }

  @ApiResponse(
      responseCode = "200",
      description = "Seats left, by offer",
      content = @Content(schema = @Schema(implementation = Availability.class)))
  @GetMapping("/views/events/{id}/availability")
  public Mono<ResponseEntity<?>> availability(@PathVariable @Identifier String id) {
    return views
        .availability(id)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .defaultIfEmpty(unknown(id));
  }

  /**
   * The event's availability now, then again each time it changes (an {@code availability} event
   * each), until the client leaves. An unknown event is a 404 before any stream.
   */
  @GetMapping("/views/events/{id}/availability/events")
  public Mono<ResponseEntity<?>> followAvailability(@PathVariable @Identifier String id) {
    return views
        .availability(id)
        .<ResponseEntity<?>>map(
            first -> {
              Flux<ServerSentEvent<Object>> events =
                  views
                      .availabilityChanges(id)
                      .onBackpressureLatest()
                      .concatMap(changed -> views.availability(id), 1)
                      .startWith(first)
                      .distinctUntilChanged()
                      .map(
                          (Availability now) ->
                              ServerSentEvent.<Object>builder(now).event("availability").build());
              return ResponseEntity.ok()
                  .contentType(MediaType.TEXT_EVENT_STREAM)
                  .body(ViewRequests.withHeartbeats(events));
            })
        .defaultIfEmpty(unknown(id));
  }

  @ApiResponse(
      responseCode = "200",
      description =
          "The seats held or sold (issue 21): every other seat of the event's seat map is free",
      content = @Content(schema = @Schema(implementation = SeatStatuses.class)))
  @GetMapping("/views/events/{id}/seats")
  public Mono<ResponseEntity<?>> seats(@PathVariable @Identifier String id) {
    return views
        .takenSeats(id)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .defaultIfEmpty(unknown(id));
  }

  /**
   * The seat map live: the seats held or sold now (a {@code seats} event), then the seats that
   * changed, as they change ({@code changes} events: only those seats, with the cursor after them),
   * until the client leaves. An unknown event is a 404 before any stream.
   */
  @GetMapping("/views/events/{id}/seats/events")
  public Mono<ResponseEntity<?>> followSeats(@PathVariable @Identifier String id) {
    return views
        .takenSeats(id)
        .<ResponseEntity<?>>map(
            first -> {
              AtomicLong cursor = new AtomicLong(first.cursor());
              // Changes announced from now on, and once at once: what committed between the
              // first read and the subscription is not missed.
              Flux<ServerSentEvent<Object>> changes =
                  Flux.merge(Mono.just(id), views.availabilityChanges(id))
                      .onBackpressureLatest()
                      .concatMap(
                          changed ->
                              views
                                  .seatChanges(id, cursor.get())
                                  .expand(
                                      page ->
                                          page.seats().isEmpty()
                                              ? Mono.empty()
                                              : views.seatChanges(id, page.cursor()))
                                  .filter(page -> !page.seats().isEmpty())
                                  .doOnNext(page -> cursor.set(page.cursor())),
                          1)
                      .map(page -> ServerSentEvent.<Object>builder(page).event("changes").build());
              return ResponseEntity.ok()
                  .contentType(MediaType.TEXT_EVENT_STREAM)
                  .body(
                      ViewRequests.withHeartbeats(
                          changes.startWith(
                              ServerSentEvent.<Object>builder(first).event("seats").build())));
            })
        .defaultIfEmpty(unknown(id));
  }

  /** The event, if the caller may see its statistics: its organizer, or an admin. */
  private Mono<EventSummary> organizedByCaller(String id) {
    return Caller.current()
        .zipWith(views.event(id))
        .filter(found -> found.getT1().sees(found.getT2().organizerId()))
        .map(found -> found.getT2());
  }

  @ApiResponse(
      responseCode = "200",
      description = "The event's sales",
      content =
          @Content(
              schema = @Schema(implementation = io.guichet.query.domain.SalesStatistics.class)))
  @GetMapping("/views/events/{id}/statistics")
  public Mono<ResponseEntity<?>> statistics(@PathVariable @Identifier String id) {
    return organizedByCaller(id)
        .flatMap(event -> views.statistics(id, clock.instant()))
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .defaultIfEmpty(unknown(id));
  }

  @ApiResponse(responseCode = "200", description = "A page of hourly sales")
  @GetMapping("/views/events/{id}/statistics/hourly")
  public Mono<ResponseEntity<?>> hourly(
      @PathVariable @Identifier String id,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      @RequestParam(required = false) @Identifier String offer) {
    String offerId = offer;
    return organizedByCaller(id)
        .flatMap(
            event ->
                PageRequest.answerInRange(
                    page, size, request -> views.hourlySales(id, offerId, request)))
        .defaultIfEmpty(unknown(id));
  }

  @ApiResponse(
      responseCode = "200",
      description =
          "A page of the event's double entries: tickets let in by an offline scanner although"
              + " already used, found when it synced")
  @GetMapping("/views/events/{id}/offline-duplicates")
  public Mono<ResponseEntity<?>> offlineDuplicates(
      @PathVariable @Identifier String id,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size) {
    return organizedByCaller(id)
        .flatMap(
            event ->
                PageRequest.answerInRange(
                    page, size, request -> views.offlineDuplicates(id, request)))
        .defaultIfEmpty(unknown(id));
  }
}
