package io.guichet.identity.domain;

import java.time.Duration;

/**
 * How long an account is locked after failed logins: free for the first {@link #FREE_ATTEMPTS}
 * failures in a row, then 30 seconds, doubling with each further failure, at most 15 minutes. A
 * success clears it. Attempts count before the password is checked, so a burst of parallel guesses
 * gets no more checks than a sequence.
 */
public final class LoginThrottle {

  public static final int FREE_ATTEMPTS = 5;
  public static final Duration FIRST_LOCK = Duration.ofSeconds(30);
  public static final Duration LONGEST_LOCK = Duration.ofMinutes(15);

  private LoginThrottle() {}

  /** The lock after this many failures in a row (counting the attempt being made). */
  public static Duration lockAfter(int failures) {
    if (failures < FREE_ATTEMPTS) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - FREE_ATTEMPTS, 10);
    Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
    return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
  }
}
