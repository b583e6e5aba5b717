package io.guichet.query.domain;

/**
 * Where a reservation stands, as its buyer sees it. The rank orders the statuses: a reservation
 * never goes back to a lower one, whatever order its facts are projected in.
 */
public enum ReservationStatus {
  REQUESTED(0, false),
  HELD(1, false),
  REJECTED(2, true),
  EXPIRED(2, true),
  CONFIRMED(2, true),
  CANCELLED(3, true);

  private final int rank;
  private final boolean settled;

  ReservationStatus(int rank, boolean settled) {
    this.rank = rank;
    this.settled = settled;
  }

  public int rank() {
    return rank;
  }

  /** Whether a buyer following the reservation has seen its outcome. */
  public boolean settled() {
    return settled;
  }
}
