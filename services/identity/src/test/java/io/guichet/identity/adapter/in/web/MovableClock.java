package io.guichet.identity.adapter.in.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock, moved forward on demand (how a test lets 16 minutes pass at once), or stopped:
 * what the service sees then takes no time however long the test's requests take.
 */
final class MovableClock extends Clock {

  private volatile Duration offset = Duration.ZERO;
  private volatile Instant stopped;

  /**
   * Stands still from now on, until {@link #reset}: a test of a 30 s lock that makes a hundred slow
   * logins first (each hashes a password) took 35 s on a busy CI machine, its lock ended between
   * two of them, and the next failure locked the account for twice as long.
   */
  void stop() {
    stopped = instant();
  }

  void advance(Duration by) {
    Instant at = stopped;
    if (at != null) {
      stopped = at.plus(by);
    } else {
      offset = offset.plus(by);
    }
  }

  void reset() {
    stopped = null;
    offset = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    Instant at = stopped;
    return at != null ? at : Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
