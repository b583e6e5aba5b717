package io.guichet.booking.domain;

import java.util.Objects;

/** The small id types of the booking domain. */
public final class Ids {

  private Ids() {}

  /** A ticketed event (concert, match, conference, training session). */
  public record EventId(String value) {
    public EventId {
      requireText(value, "event id");
    }
  }

  /** An offer of an event. */
  public record OfferId(String value) {
    public OfferId {
      requireText(value, "offer id");
    }
  }

  /** A reservation. */
  public record ReservationId(String value) {
    public ReservationId {
      requireText(value, "reservation id");
    }
  }

  /** A buyer's account. */
  public record CustomerId(String value) {
    public CustomerId {
      requireText(value, "customer id");
    }
  }

  static void requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " is blank");
    }
  }
}
