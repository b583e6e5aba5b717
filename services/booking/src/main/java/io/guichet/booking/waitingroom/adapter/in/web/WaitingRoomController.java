package io.guichet.booking.waitingroom.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.booking.waitingroom.application.WaitingRooms;
import io.guichet.booking.waitingroom.domain.Place;
import io.guichet.booking.waitingroom.domain.Room;
import io.guichet.web.FieldError;
import io.guichet.web.Problems;
import io.guichet.web.RequestLogs;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /waiting-rooms/{eventId}}: the organizer turns the room on ({@code PUT}) or off ({@code
 * DELETE}); anyone signed in sees it ({@code GET}); a buyer joins ({@code POST .../queue}) and
 * follows their place ({@code GET .../queue/me}, and its event stream), which carries the admission
 * pass once they are let through.
 */
@RestController
public class WaitingRoomController {

  private static final Logger LOG = LoggerFactory.getLogger(WaitingRoomController.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration REFRESH = Duration.ofSeconds(5);

  private final WaitingRooms rooms;
  private final RoomChanges changes;

  public WaitingRoomController(WaitingRooms rooms, RoomChanges roomChanges) {
    this.rooms = rooms;
    this.changes = roomChanges;
  }

  /** Where to follow a room and one's place in it. */
  record Links(String room, String place, String events) {
    static Links of(String eventId) {
      String room = "/waiting-rooms/" + eventId;
      return new Links(room, room + "/queue/me", room + "/queue/me/events");
    }
  }

  @ApiResponse(responseCode = "202", description = "The room's settings are recorded")
  @PutMapping(path = "/waiting-rooms/{eventId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> configure(
      @PathVariable @Identifier String eventId, @Valid @RequestBody RoomSettingsRequest body) {
    return Caller.current()
        .flatMap(
            caller ->
                rooms.configure(
                    caller.accountId(), caller.isAdmin(), eventId, true, body.settings()))
        .<ResponseEntity<?>>map(result -> configured(eventId, result))
        .onErrorResume(this::unrecorded);
  }

  @ApiResponse(responseCode = "202", description = "The room is turned off")
  @DeleteMapping("/waiting-rooms/{eventId}")
  public Mono<ResponseEntity<?>> turnOff(@PathVariable @Identifier String eventId) {
    return rooms
        .room(eventId)
        .flatMap(
            room ->
                Caller.current()
                    .flatMap(
                        caller ->
                            rooms.configure(
                                caller.accountId(),
                                caller.isAdmin(),
                                eventId,
                                false,
                                room.settings()))
                    .<ResponseEntity<?>>map(result -> configured(eventId, result)))
        .defaultIfEmpty(noRoom(eventId))
        .onErrorResume(this::unrecorded);
  }

  private static ResponseEntity<?> configured(String eventId, WaitingRooms.Configured result) {
    if (result instanceof WaitingRooms.Configured.Accepted) {
      return ResponseEntity.accepted()
          .location(URI.create(Links.of(eventId).room()))
          .body(Map.of("eventId", eventId, "links", Links.of(eventId)));
    }
    if (result instanceof WaitingRooms.Configured.Invalid invalid) {
      return Problems.invalid(
          invalid.problems().stream()
              .map(problem -> new FieldError(problem.field(), problem.message()))
              .toList());
    }
    if (result instanceof WaitingRooms.Configured.NotTheOrganizer) {
      return Problems.forbidden("Only the event's organizer (or an admin) sets its waiting room.");
    }
    if (result instanceof WaitingRooms.Configured.NotReady) {
      return Problems.unavailable("Booking is still reading the catalog.", RETRY);
    }
    return Problems.notFound("No event " + eventId + " is published.");
  }

  @ApiResponse(responseCode = "200", description = "The room: opening, rate, state")
  @GetMapping("/waiting-rooms/{eventId}")
  public Mono<ResponseEntity<?>> room(@PathVariable @Identifier String eventId) {
    return rooms
        .room(eventId)
        .<ResponseEntity<?>>map(room -> ResponseEntity.ok(RoomJson.of(room)))
        .defaultIfEmpty(noRoom(eventId));
  }

  @ApiResponse(
      responseCode = "202",
      description = "The buyer's arrival is recorded: follow the place at links")
  @PostMapping("/waiting-rooms/{eventId}/queue")
  public Mono<ResponseEntity<?>> join(@PathVariable @Identifier String eventId) {
    return Caller.current()
        .flatMap(caller -> rooms.join(caller.accountId(), eventId))
        .<ResponseEntity<?>>map(
            joined -> {
              if (joined instanceof WaitingRooms.Joined.Recorded recorded) {
                Links links = Links.of(eventId);
                return ResponseEntity.accepted()
                    .location(URI.create(links.place()))
                    .body(Map.of("queueTicket", recorded.queueTicket(), "links", links));
              }
              return noRoom(eventId);
            })
        .onErrorResume(this::unrecorded);
  }

  @ApiResponse(
      responseCode = "200",
      description = "The buyer's place, wait, and pass once admitted")
  @GetMapping("/waiting-rooms/{eventId}/queue/me")
  public Mono<ResponseEntity<?>> place(@PathVariable @Identifier String eventId) {
    return Caller.current()
        .flatMap(caller -> rooms.place(caller.accountId(), eventId))
        .<ResponseEntity<?>>map(
            seen ->
                seen.place() == null
                    ? Problems.notFound(
                        "You have no place in this room (yet): join it, or wait a moment.")
                    : ResponseEntity.ok(PlaceJson.of(seen)))
        .defaultIfEmpty(noRoom(eventId));
  }

  /**
   * The buyer's place now and at each change of the room (an admission, the draw, sold out), until
   * they are admitted or the room closes; refreshed every few seconds in any case.
   */
  @GetMapping(
      path = "/waiting-rooms/{eventId}/queue/me/events",
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public Flux<ServerSentEvent<Object>> follow(@PathVariable @Identifier String eventId) {
    Flux<ServerSentEvent<Object>> events =
        Caller.current()
            .flatMapMany(
                caller ->
                    rooms
                        .room(eventId)
                        .flatMapMany(
                            room ->
                                Flux.merge(
                                        Mono.just(eventId),
                                        changes.of(eventId),
                                        Flux.interval(REFRESH))
                                    .onBackpressureLatest()
                                    .concatMap(tick -> rooms.place(caller.accountId(), eventId), 1)
                                    .map(WaitingRoomController::event)
                                    .distinctUntilChanged(ServerSentEvent::data)
                                    .takeUntil(WaitingRoomController::last)))
            // No room for this event: the stream says so and ends, rather than saying nothing.
            .switchIfEmpty(
                Mono.just(
                    ServerSentEvent.<Object>builder(noRoom(eventId).getBody())
                        .event("not-found")
                        .build()));
    return events.startWith(ServerSentEvent.builder().comment("following").build());
  }

  private static ServerSentEvent<Object> event(WaitingRooms.Seen seen) {
    if (seen.place() == null) {
      return ServerSentEvent.<Object>builder(RoomJson.of(seen.room())).event("room").build();
    }
    return ServerSentEvent.<Object>builder(PlaceJson.of(seen)).event("place").build();
  }

  private static boolean last(ServerSentEvent<Object> event) {
    return event.data() instanceof Map<?, ?> place
        && ("ADMITTED".equals(place.get("state")) || "CLOSED".equals(place.get("state")));
  }

  private static ResponseEntity<?> noRoom(String eventId) {
    return Problems.notFound("Event " + eventId + " has no waiting room on.");
  }

  private Mono<ResponseEntity<?>> unrecorded(Throwable e) {
    return RequestLogs.logged(
        () -> LOG.warn("could not record a waiting room's fact", e),
        Mono.just(Problems.unavailable("It could not be recorded; retry it.", RETRY)));
  }

  /** The room as everyone may see it. */
  static final class RoomJson {
    static Map<String, Object> of(Room room) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("eventId", room.eventId());
      json.put("enabled", room.enabled());
      json.put("opensAt", room.settings().opensAt().toString());
      json.put(
          "admissionsPerMinute",
          room.settings().adaptive() ? null : room.settings().admissionsPerMinute().getAsInt());
      json.put("adaptive", room.settings().adaptive());
      json.put("passLifetimeSeconds", room.settings().passLifetime().toSeconds());
      json.put("open", room.drawn());
      json.put("preQueue", room.preQueue());
      json.put("placed", room.lastPosition());
      json.put("admittedThrough", room.admittedThrough());
      json.put("waiting", room.waiting());
      json.put("soldOut", room.soldOut());
      json.put("admittedLastMinute", room.admittedLastMinute());
      json.put("links", Links.of(room.eventId()));
      return json;
    }
  }

  /** A buyer's place, with the pass once admitted. */
  static final class PlaceJson {
    static Map<String, Object> of(WaitingRooms.Seen seen) {
      Place place = seen.place();
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("eventId", seen.room().eventId());
      json.put("queueTicket", place.queueTicket());
      json.put("state", place.state().name());
      json.put("position", place.position());
      json.put("ahead", place.ahead());
      json.put("estimatedWaitSeconds", place.estimatedWaitSeconds());
      json.put("admittedThrough", seen.room().admittedThrough());
      Instant expires = place.passExpiresAt();
      json.put("passExpiresAt", expires == null ? null : expires.toString());
      json.put("pass", seen.pass());
      json.put("opensAt", seen.room().settings().opensAt().toString());
      return json;
    }
  }
}
