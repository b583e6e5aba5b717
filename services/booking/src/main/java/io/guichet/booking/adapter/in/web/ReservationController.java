package io.guichet.booking.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.booking.BookingProperties;
import io.guichet.booking.adapter.out.r2dbc.ReservationStatuses;
import io.guichet.booking.application.ReservationCommands;
import io.guichet.booking.application.ReservationView;
import io.guichet.booking.application.ReserveCommand;
import io.guichet.booking.application.ReserveResult;
import io.guichet.outbox.ChangeNotifications;
import io.guichet.web.ErrorProblems;
import io.guichet.web.FieldError;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.RequestLogs;
import io.guichet.web.ReservationStreams;
import io.guichet.web.constraints.Identifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /reservations}: a request is checked, published and answered 202 with where to follow it;
 * the allocator's answer arrives on the status and its event stream.
 */
@RestController
public class ReservationController {

  private static final Logger LOG = LoggerFactory.getLogger(ReservationController.class);
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  /** The header a waiting room's admission pass comes in. */
  public static final String ADMISSION_PASS = "Admission-Pass";

  private final ReservationCommands commands;
  private final ReservationStatuses statuses;
  private final ChangeNotifications notifications;
  private final Duration followTimeout;
  private final Map<ReserveResult.Outcome, Counter> answered =
      new EnumMap<>(ReserveResult.Outcome.class);
  private final Counter invalid;
  private final Counter unavailable;

  public ReservationController(
      ReservationCommands commands,
      ReservationStatuses statuses,
      ChangeNotifications notifications,
      BookingProperties properties,
      MeterRegistry registry) {
    // The front door's answers, by outcome; the allocator's own refusals are counted by reason.
    for (ReserveResult.Outcome outcome : ReserveResult.Outcome.values()) {
      answered.put(outcome, requests(registry, outcome.name().toLowerCase(Locale.ROOT)));
    }
    this.invalid = requests(registry, "invalid");
    this.unavailable = requests(registry, "unavailable");
    this.commands = commands;
    this.statuses = statuses;
    this.notifications = notifications;
    this.followTimeout = properties.status().followTimeout();
  }

  /** The answer to an accepted request. */
  record Accepted(String reservationId, String status, Links links) {}

  /** Where to follow a reservation. */
  record Links(String self, String events) {
    static Links of(String reservationId) {
      String self = "/reservations/" + reservationId;
      return new Links(self, self + "/events");
    }
  }

  /** Reserves for the calling customer. */
  @ApiResponse(
      responseCode = "202",
      description = "Accepted: follow the outcome at links (replays say Idempotent-Replayed)",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @ProblemResponses({403, 422})
  @PostMapping(path = "/reservations", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> reserve(
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestHeader(name = ADMISSION_PASS, required = false) String pass,
      @Valid @RequestBody ReserveRequest body) {
    return Caller.current()
        .flatMap(caller -> reserve(caller.accountId(), idempotencyKey, pass, body));
  }

  /** A body that does not bind or validate: counted, then answered as everywhere else. */
  @ExceptionHandler({WebExchangeBindException.class, ServerWebInputException.class})
  Mono<ResponseEntity<ProblemDetail>> invalid(Exception error) {
    invalid.increment();
    return Mono.just(ErrorProblems.of(error));
  }

  private Mono<ResponseEntity<?>> reserve(
      String customer, String idempotencyKey, String pass, ReserveRequest body) {
    List<FieldError> errors = new ArrayList<>();
    if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
      errors.add(new FieldError("Idempotency-Key", "must be 1 to 255 visible ASCII characters"));
    }
    if (body.customer() != null && !customer.equals(body.customer())) {
      errors.add(
          new FieldError("customer", "is you: a reservation is for the account that asks for it"));
    }
    if (!errors.isEmpty()) {
      invalid.increment();
      return Mono.just(Problems.invalid(errors));
    }
    ReserveCommand command = body.command(customer);
    return commands
        .reserve(command, idempotencyKey, pass)
        .doOnNext(result -> answered.get(result.outcome()).increment())
        .<ResponseEntity<?>>map(result -> answer(result, command.event()))
        .onErrorResume(
            e -> {
              unavailable.increment();
              return RequestLogs.logged(
                  () -> LOG.warn("could not publish a reservation request", e),
                  Mono.just(
                      Problems.unavailable("The request could not be recorded; retry it.", RETRY)));
            });
  }

  private static Counter requests(MeterRegistry registry, String outcome) {
    return Counter.builder("guichet.reservations.requests")
        .description("Reservation requests answered at the front door, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static ResponseEntity<?> answer(ReserveResult result, String event) {
    switch (result.outcome()) {
      case ACCEPTED:
      case REPLAYED:
        Links links = Links.of(result.reservationId());
        ResponseEntity.BodyBuilder accepted =
            ResponseEntity.accepted().location(URI.create(links.self()));
        if (result.outcome() == ReserveResult.Outcome.REPLAYED) {
          accepted.header("Idempotent-Replayed", "true");
        }
        return accepted.body(new Accepted(result.reservationId(), "REQUESTED", links));
      case REFUSED:
        return Problems.unprocessable(result.errors());
      case KEY_REUSED:
        return Problems.idempotencyKeyReused();
      case NOT_ADMITTED:
        return notAdmitted(result, event);
      case NOT_READY:
      default:
        return Problems.unavailable("Booking is still reading the catalog.", RETRY);
    }
  }

  /** 403 naming the room, where the buyer queues for a pass. */
  private static ResponseEntity<?> notAdmitted(ReserveResult result, String event) {
    ResponseEntity<ProblemDetail> problem =
        Problems.of(
            HttpStatus.FORBIDDEN,
            "admission-pass-required",
            "Admission pass required",
            "This event's on-sale has a waiting room: queue there, and reserve with the pass it"
                + " gives once you are admitted ("
                + ADMISSION_PASS
                + " header).",
            result.errors());
    problem.getBody().setProperty("room", "/waiting-rooms/" + event);
    return problem;
  }

  /**
   * The reservation, if the caller may see it: its customer, or an admin. Anyone else's reservation
   * is answered as unknown, so its existence is not revealed.
   */
  private Mono<ReservationView> visible(String id) {
    return Caller.current()
        .zipWith(statuses.find(id))
        .filter(found -> found.getT1().sees(found.getT2().customer()))
        .map(found -> found.getT2());
  }

  @ApiResponse(
      responseCode = "200",
      description = "The reservation as booking knows it",
      content = @Content(schema = @Schema(implementation = ReservationView.class)))
  @GetMapping("/reservations/{id}")
  public Mono<ResponseEntity<?>> status(@PathVariable @Identifier String id) {
    return visible(id)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .defaultIfEmpty(Problems.notFound("No reservation " + id + " is known (yet)."));
  }

  @ApiResponse(
      responseCode = "202",
      description = "Cancellation requested",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @ProblemResponses({409})
  @DeleteMapping("/reservations/{id}")
  public Mono<ResponseEntity<?>> cancel(@PathVariable @Identifier String id) {
    return visible(id)
        .flatMap(
            reservation ->
                commands
                    .cancel(reservation, "cancelled by the buyer")
                    .<ResponseEntity<?>>map(
                        requested ->
                            requested
                                ? ResponseEntity.accepted()
                                    .location(URI.create(Links.of(id).self()))
                                    .body(new Accepted(id, "CANCELLATION_REQUESTED", Links.of(id)))
                                : Problems.conflict(
                                    "Reservation "
                                        + id
                                        + " is "
                                        + reservation.status()
                                        + " and can no longer be cancelled.")))
        .defaultIfEmpty(Problems.notFound("No reservation " + id + " is known (yet)."))
        .onErrorResume(
            e ->
                RequestLogs.logged(
                    () -> LOG.warn("could not publish a cancellation request", e),
                    Mono.just(
                        Problems.unavailable(
                            "The cancellation could not be recorded; retry it.", RETRY))));
  }

  /**
   * Each change of the reservation's status, starting with the current one, until it is settled. A
   * reservation not yet projected is waited for while it may still be on its way (its id was issued
   * less than the follow timeout ago); any other unknown id is answered with a {@code not-found}
   * event at once.
   */
  @GetMapping(path = "/reservations/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public Flux<ServerSentEvent<Object>> follow(@PathVariable @Identifier String id) {
    return Caller.current().flatMapMany(caller -> follow(id, caller));
  }

  private Flux<ServerSentEvent<Object>> follow(String id, Caller caller) {
    Flux<ServerSentEvent<Object>> events =
        ReservationStreams.follow(
            id, followTimeout, statuses.find(id).hasElement(), () -> changes(id, caller));
    ServerSentEvent<Object> end = ServerSentEvent.builder().comment("end").build();
    // A first comment at once, so that the client sees the stream open before any status.
    Flux<ServerSentEvent<Object>> heartbeats =
        Flux.interval(Duration.ZERO, HEARTBEAT)
            .map(tick -> ServerSentEvent.<Object>builder().comment("keep-alive").build());
    return Flux.merge(events.concatWith(Mono.just(end)), heartbeats)
        .takeWhile(event -> event != end);
  }

  /** The reservation's statuses as they change, until settled. */
  private Flux<ServerSentEvent<Object>> changes(String id, Caller caller) {
    return Flux.merge(notifications.of(id), Mono.just(id))
        .concatMap(ignored -> statuses.find(id))
        .concatMap(
            view ->
                caller.sees(view.customer())
                    ? Mono.just(view)
                    : Mono.<ReservationView>error(new ReservationStreams.NotTheCallers()))
        .distinctUntilChanged(view -> view.status() + '/' + view.version() + '/' + view.quantity())
        .takeUntil(ReservationView::settled)
        .map(
            view ->
                ServerSentEvent.<Object>builder(view)
                    .event("status")
                    .id(Integer.toString(view.version()))
                    .build());
  }
}
