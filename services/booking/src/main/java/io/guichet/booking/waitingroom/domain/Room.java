package io.guichet.booking.waitingroom.domain;

import io.guichet.platform.ids.NameBasedIds;
import java.time.Duration;
import java.time.Instant;

/**
 * A waiting room as its writer left it.
 *
 * @param eventId the event whose on-sale it guards
 * @param enabled whether it is on (booking then wants a pass)
 * @param settings opening, rate and pass lifetime
 * @param drawn whether the pre-queue's order was drawn (the sale opened)
 * @param preQueue buyers who arrived before the opening
 * @param lastPosition places given so far
 * @param admittedThrough places admitted so far (1 to this)
 * @param soldOut whether admission paused because no seat is left
 * @param admittedLastMinute buyers admitted in the last minute (the adaptive rate's estimate)
 */
public record Room(
    String eventId,
    boolean enabled,
    RoomSettings settings,
    boolean drawn,
    long preQueue,
    long lastPosition,
    long admittedThrough,
    boolean soldOut,
    long admittedLastMinute) {

  /** Buyers with a place who have not been admitted. */
  public long waiting() {
    return Math.max(0, lastPosition - admittedThrough);
  }

  /** The queue ticket of an account in an event's room: the same at every join. */
  public static String queueTicket(String eventId, String customerId) {
    return NameBasedIds.of("guichet-waiting-room:" + eventId + ":" + customerId).toString();
  }

  /** Buyers let through per minute, as far as is known: the setting, or the last minute's. */
  public long admissionsPerMinute() {
    return settings.admissionsPerMinute().isPresent()
        ? settings.admissionsPerMinute().getAsInt()
        : admittedLastMinute;
  }

  /**
   * Where a buyer stands.
   *
   * @param position their place; null while the pre-queue is not drawn
   * @param admittedAt when their place was admitted, if it was
   */
  public Place place(String customerId, Long position, Instant admittedAt, Instant now) {
    String ticket = queueTicket(eventId, customerId);
    if (!enabled) {
      return new Place(ticket, Place.State.CLOSED, position, 0, null, null);
    }
    if (position == null) {
      return new Place(ticket, Place.State.PRE_QUEUE, null, preQueue, null, null);
    }
    if (position <= admittedThrough && admittedAt != null) {
      Instant expires = admittedAt.plus(settings.passLifetime());
      return new Place(
          ticket,
          now.isBefore(expires) ? Place.State.ADMITTED : Place.State.PASS_EXPIRED,
          position,
          0,
          0L,
          expires);
    }
    long ahead = Math.max(0, position - admittedThrough - 1);
    if (soldOut) {
      return new Place(ticket, Place.State.SOLD_OUT, position, ahead, null, null);
    }
    long perMinute = admissionsPerMinute();
    Long wait =
        perMinute <= 0 ? null : Duration.ofMillis((ahead + 1) * 60_000 / perMinute).toSeconds();
    return new Place(ticket, Place.State.WAITING, position, ahead, wait, null);
  }
}
