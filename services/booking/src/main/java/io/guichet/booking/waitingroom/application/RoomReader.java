package io.guichet.booking.waitingroom.application;

import io.guichet.booking.waitingroom.domain.Room;
import java.time.Instant;
import java.util.Set;
import reactor.core.publisher.Mono;

/** What the room's writer recorded, as the front door reads it. */
public interface RoomReader {

  /** The event's room, if one was ever turned on. */
  Mono<Room> room(String eventId);

  /** A buyer's spot, once the writer gave it. */
  Mono<Spot> spot(String eventId, String customerId);

  /** The events whose room is on now. */
  Mono<Set<String>> guardedEvents();

  /**
   * @param position the place; null while in the pre-queue
   * @param admittedAt when the place was admitted; null before
   */
  record Spot(Long position, Instant admittedAt) {}
}
