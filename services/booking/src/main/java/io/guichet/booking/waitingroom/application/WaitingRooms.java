package io.guichet.booking.waitingroom.application;

import io.guichet.booking.application.CatalogView;
import io.guichet.booking.waitingroom.domain.AdmissionPass;
import io.guichet.booking.waitingroom.domain.Place;
import io.guichet.booking.waitingroom.domain.Room;
import io.guichet.booking.waitingroom.domain.RoomSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The waiting room's use cases: an organizer turns a room on or off; a buyer joins (a log append:
 * the place is given by the room's writer, in the log's order) and sees their place, with a signed
 * pass once admitted.
 */
public final class WaitingRooms {

  private static final Duration LATEST_OPENING = Duration.ofDays(3_650);

  /**
   * How long a room read from the database answers every buyer who asks: thousands of buyers
   * following their place cost one read of the room per period, not one each.
   */
  private static final Duration ROOM_FRESH = Duration.ofMillis(250);

  /** Rooms cached at most; past it the cache starts again (unknown ids must not grow it). */
  private static final int ROOMS_CACHED = 10_000;

  private final Map<String, Mono<Room>> recentRooms = new ConcurrentHashMap<>();

  private final CatalogView catalog;
  private final RoomLog log;
  private final RoomReader reader;
  private final GuardedEvents guarded;
  private final byte[] passKey;
  private final Clock clock;

  public WaitingRooms(
      CatalogView catalog,
      RoomLog log,
      RoomReader reader,
      GuardedEvents guarded,
      byte[] passKey,
      Clock clock) {
    this.catalog = catalog;
    this.log = log;
    this.reader = reader;
    this.guarded = guarded;
    this.passKey = passKey.clone();
    this.clock = clock;
  }

  /** What became of a change of settings. */
  public sealed interface Configured {
    record Accepted() implements Configured {}

    record UnknownEvent() implements Configured {}

    record NotTheOrganizer() implements Configured {}

    record Invalid(List<RoomSettings.Problem> problems) implements Configured {}

    record NotReady() implements Configured {}
  }

  /**
   * Turns the event's room on with these settings (or changes them), or off; only the event's
   * organizer or an admin may.
   */
  public Mono<Configured> configure(
      String accountId, boolean admin, String eventId, boolean enabled, RoomSettings settings) {
    if (!catalog.ready()) {
      return Mono.just(new Configured.NotReady());
    }
    Optional<CatalogView.EventSeats> event = catalog.event(eventId);
    if (event.isEmpty()) {
      return Mono.just(new Configured.UnknownEvent());
    }
    if (!admin && !event.get().organizerId().equals(accountId)) {
      return Mono.just(new Configured.NotTheOrganizer());
    }
    List<RoomSettings.Problem> problems = settings.problems(clock.instant().plus(LATEST_OPENING));
    if (!problems.isEmpty()) {
      return Mono.just(new Configured.Invalid(problems));
    }
    return log.configured(eventId, accountId, enabled, settings)
        .thenReturn(new Configured.Accepted());
  }

  /** What became of an arrival. */
  public sealed interface Joined {
    /** Recorded: the place follows from the log ({@link #place}). */
    record Recorded(String queueTicket) implements Joined {}

    /** No room is on for this event: reserve directly. */
    record NoRoom() implements Joined {}
  }

  /**
   * Appends the buyer's arrival; joining again names the same place (the writer keeps the first).
   */
  public Mono<Joined> join(String customerId, String eventId) {
    if (!guarded.guards(eventId)) {
      return Mono.just(new Joined.NoRoom());
    }
    String ticket = Room.queueTicket(eventId, customerId);
    return log.joined(eventId, customerId, ticket).thenReturn(new Joined.Recorded(ticket));
  }

  /**
   * A buyer's place and, once admitted, their pass.
   *
   * @param pass the signed pass while admitted, else null
   */
  public record Seen(Room room, Place place, String pass) {}

  /** The buyer's place; empty when the event has no room. */
  public Mono<Seen> place(String customerId, String eventId) {
    return recentRoom(eventId)
        .flatMap(
            room ->
                reader
                    .spot(eventId, customerId)
                    .map(spot -> room.place(customerId, spot.position(), spot.admittedAt(), now()))
                    .map(place -> new Seen(room, place, passFor(eventId, customerId, place)))
                    .defaultIfEmpty(new Seen(room, null, null)));
  }

  /** The room's public state; empty when the event never had one. */
  public Mono<Room> room(String eventId) {
    return reader.room(eventId);
  }

  private Mono<Room> recentRoom(String eventId) {
    if (recentRooms.size() > ROOMS_CACHED) {
      recentRooms.clear();
    }
    return recentRooms.computeIfAbsent(
        eventId,
        id -> reader.room(id).cache(room -> ROOM_FRESH, error -> Duration.ZERO, () -> ROOM_FRESH));
  }

  private String passFor(String eventId, String customerId, Place place) {
    if (place.state() != Place.State.ADMITTED) {
      return null;
    }
    return new AdmissionPass(eventId, customerId, place.position(), place.passExpiresAt())
        .sign(passKey);
  }

  private java.time.Instant now() {
    return clock.instant();
  }
}
