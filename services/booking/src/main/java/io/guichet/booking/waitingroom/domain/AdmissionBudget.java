package io.guichet.booking.waitingroom.domain;

import java.time.Duration;

/**
 * How many waiting buyers one admission tick lets through.
 *
 * <p>At a fixed rate, admission is counted in credit: each tick adds the rate times the time since
 * the last one, and admits the whole buyers it covers; the fraction carries over, so the rate holds
 * whatever the tick's period. While nobody waits, credit is not banked beyond one buyer, so a room
 * that was empty does not let a crowd through at once later. A tick long after the last (the
 * service was down) counts at most {@link #LONGEST_GAP}, for the same reason.
 *
 * <p>As fast as booking keeps up (adaptive), it keeps as many admitted buyers in play as there are
 * seats left: admitted buyers whose pass is still valid and who have not asked yet, plus requests
 * the allocator has not decided, never exceed the seats left; at most {@code ceiling} a tick.
 *
 * @param admit buyers to admit now
 * @param credit the fraction of a buyer carried to the next tick
 */
public record AdmissionBudget(long admit, double credit) {

  /** The longest time one tick accounts for. */
  public static final Duration LONGEST_GAP = Duration.ofSeconds(2);

  public static AdmissionBudget atFixedRate(
      int perMinute, double credit, Duration sinceLastTick, long waiting) {
    Duration gap = sinceLastTick.compareTo(LONGEST_GAP) > 0 ? LONGEST_GAP : sinceLastTick;
    double allowance = credit + perMinute * (gap.toNanos() / 60e9);
    long admit = Math.min((long) Math.floor(allowance), Math.max(0, waiting));
    double left = allowance - admit;
    if (admit == waiting) {
      left = Math.min(left, 1.0);
    }
    return new AdmissionBudget(admit, left);
  }

  public static AdmissionBudget asBookingKeepsUp(
      long seatsLeft,
      long undecidedRequests,
      long admittedNotYetAsking,
      long waiting,
      long ceiling) {
    long room = seatsLeft - undecidedRequests - admittedNotYetAsking;
    long admit = Math.max(0, Math.min(room, Math.min(Math.max(0, waiting), ceiling)));
    return new AdmissionBudget(admit, 0);
  }
}
