package io.guichet.booking.waitingroom.domain;

import java.time.Instant;

/**
 * A buyer's place in a waiting room, as they see it.
 *
 * @param queueTicket their queue ticket (the same however often they join)
 * @param state where they stand
 * @param position their place (1 is the first admitted); null in the pre-queue
 * @param ahead buyers before them still waiting (in the pre-queue: the pre-queue's size)
 * @param estimatedWaitSeconds at the present rate; null when unknown
 * @param passExpiresAt until when they may reserve, once admitted
 */
public record Place(
    String queueTicket,
    State state,
    Long position,
    long ahead,
    Long estimatedWaitSeconds,
    Instant passExpiresAt) {

  public enum State {
    /** Arrived before the opening: the order is drawn when the sale opens. */
    PRE_QUEUE,
    /** In the queue. */
    WAITING,
    /** Let through: the pass reserves until it expires. */
    ADMITTED,
    /** Admitted, but the pass expired without use. */
    PASS_EXPIRED,
    /** Nothing left to sell: admission paused, and resumes if seats come back. */
    SOLD_OUT,
    /** The room is off: reserve directly. */
    CLOSED
  }
}
