package io.guichet.query.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.query.application.ReadModels;
import io.guichet.query.domain.ReservationStatus;
import io.guichet.query.domain.ReservationView;
import io.guichet.query.domain.WaitingListEntryView;
import io.guichet.web.FieldError;
import io.guichet.web.PageRequest;
import io.guichet.web.Problems;
import io.guichet.web.ReservationStreams;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
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
 * A buyer's reservations and tickets, paged, and a reservation followed live. Buyers see their own;
 * an admin names the customer with {@code customer=}. Someone else's reservation answers as an
 * unknown one (404).
 */
@RestController
public class BuyerViewsController {

  /** Ticket statuses a listing may be narrowed to. */
  enum TicketStatus {
    ISSUED,
    REVOKED
  }

  private final ReadModels views;
  private final Duration followTimeout;

  public BuyerViewsController(
      ReadModels views, @Value("${guichet.query.follow-timeout:PT2M}") Duration followTimeout) {
    this.views = views;
    this.followTimeout = followTimeout;
  }

  /** Whose listing the caller asks for: their own, or (admins only) the named customer's. */
  private static Mono<String> whose(String named) {
    return Caller.current()
        .flatMap(
            caller -> {
              if (named == null || caller.owns(named)) {
                return Mono.just(caller.accountId());
              }
              return caller.isAdmin() ? Mono.just(named) : Mono.empty();
            });
  }

  @ApiResponse(responseCode = "200", description = "A page of the caller's reservations")
  @GetMapping("/views/reservations")
  public Mono<ResponseEntity<?>> reservations(
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) @Identifier String event,
      @RequestParam(required = false) @Identifier String customer) {
    List<FieldError> errors = new ArrayList<>();
    ReservationStatus wanted =
        ViewRequests.oneOf("status", status, ReservationStatus.class, errors);
    String eventId = event;
    return listing(
        customer,
        errors,
        page,
        size,
        (customerId, request) -> views.reservationsOf(customerId, wanted, eventId, request),
        "Only admins list another customer's reservations.");
  }

  /**
   * The caller's own listing (or, for an admin, the named customer's), paged, unless the filters
   * were refused.
   */
  private static Mono<ResponseEntity<?>> listing(
      String customer,
      List<FieldError> errors,
      String page,
      String size,
      java.util.function.BiFunction<String, PageRequest, Mono<? extends PageRequest.Page<?>>> query,
      String forbidden) {
    Mono<String> owner = whose(customer);
    if (!errors.isEmpty()) {
      return Mono.just(Problems.invalid(errors));
    }
    return owner
        .flatMap(
            customerId ->
                PageRequest.answerInRange(page, size, request -> query.apply(customerId, request)))
        .defaultIfEmpty(Problems.forbidden(forbidden));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The reservation",
      content = @Content(schema = @Schema(implementation = ReservationView.class)))
  @GetMapping("/views/reservations/{id}")
  public Mono<ResponseEntity<?>> reservation(@PathVariable @Identifier String id) {
    return visible(id)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .defaultIfEmpty(Problems.notFound("No reservation " + id + " is known."));
  }

  private Mono<ReservationView> visible(String id) {
    return Caller.current()
        .zipWith(views.reservation(id))
        .filter(found -> found.getT1().sees(found.getT2().customerId()))
        .map(found -> found.getT2());
  }

  @ApiResponse(
      responseCode = "200",
      description = "A page of the caller's waiting-list entries, newest first, with their places")
  @GetMapping("/views/waiting-lists")
  public Mono<ResponseEntity<?>> waitingLists(
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      @RequestParam(required = false) @Identifier String customer) {
    return listing(
        customer,
        List.of(),
        page,
        size,
        views::waitingListsOf,
        "Only admins list another customer's waiting lists.");
  }

  @ApiResponse(
      responseCode = "200",
      description = "The waiting-list entry: its place, or the seats offered",
      content = @Content(schema = @Schema(implementation = WaitingListEntryView.class)))
  @GetMapping("/views/waiting-lists/{id}")
  public Mono<ResponseEntity<?>> waitingListEntry(@PathVariable @Identifier String id) {
    return Caller.current()
        .zipWith(views.waitingListEntry(id))
        .filter(found -> found.getT1().sees(found.getT2().customerId()))
        .<ResponseEntity<?>>map(found -> ResponseEntity.ok(found.getT2()))
        .defaultIfEmpty(Problems.notFound("No waiting-list entry " + id + " is known."));
  }

  @ApiResponse(responseCode = "200", description = "A page of the caller's tickets")
  @GetMapping("/views/tickets")
  public Mono<ResponseEntity<?>> tickets(
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) @Identifier String event,
      @RequestParam(required = false) @Identifier String customer) {
    List<FieldError> errors = new ArrayList<>();
    TicketStatus wanted = ViewRequests.oneOf("status", status, TicketStatus.class, errors);
    String eventId = event;
    return listing(
        customer,
        errors,
        page,
        size,
        (customerId, request) ->
            views.ticketsOf(customerId, wanted == null ? null : wanted.name(), eventId, request),
        "Only admins list another customer's tickets.");
  }

  /**
   * An event of a followed reservation: a status it reached, when, and the reservation as it is
   * now.
   */
  public record StatusEvent(
      String reservationId, ReservationStatus status, Instant at, ReservationView reservation) {}

  /**
   * The statuses the reservation goes through, one {@code status} event each, in order (those it
   * went through before the client came too, so a late client still sees requested, held,
   * confirmed), until a settled one. A reservation not projected yet is waited for while it may
   * still be on its way (its id was issued less than the follow timeout ago); any other unknown id
   * is answered with a {@code not-found} event at once.
   */
  @GetMapping(
      path = "/views/reservations/{id}/events",
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public Flux<ServerSentEvent<Object>> follow(@PathVariable @Identifier String id) {
    return Caller.current()
        .flatMapMany(
            caller ->
                ViewRequests.withHeartbeats(
                    ReservationStreams.follow(
                        id,
                        followTimeout,
                        views.reservation(id).hasElement(),
                        () -> steps(id, caller))));
  }

  /** The reservation's steps, those it went through and those it goes through, until settled. */
  private Flux<ServerSentEvent<Object>> steps(String id, Caller caller) {
    Set<ReservationStatus> shown = EnumSet.noneOf(ReservationStatus.class);
    return Flux.merge(views.reservationChanges(id), Mono.just(id))
        .concatMap(ignored -> views.reservation(id))
        .concatMap(
            view ->
                caller.sees(view.customerId())
                    ? views
                        .steps(id)
                        .filter(step -> shown.add(step.status()))
                        .map(step -> new StatusEvent(id, step.status(), step.at(), view))
                    : Flux.<StatusEvent>error(new ReservationStreams.NotTheCallers()))
        .takeUntil(event -> event.status().settled())
        .map(
            event ->
                ServerSentEvent.<Object>builder(event)
                    .event("status")
                    .id(event.status().name())
                    .build());
  }
}
