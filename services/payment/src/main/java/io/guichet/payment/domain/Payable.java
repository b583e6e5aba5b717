package io.guichet.payment.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A reservation as payment knows it, from booking's outcomes: what it costs, whose it is and until
 * when its seats are held.
 */
public record Payable(
    String reservationId,
    String eventId,
    String customerId,
    long amountMinor,
    String currency,
    Instant expiresAt,
    Status status) {

  /** Where booking's decisions have taken the reservation. */
  public enum Status {
    HELD,
    CONFIRMED,
    EXPIRED,
    CANCELLED,
    REJECTED
  }

  /** Why a payment of this reservation is refused, if it is. */
  public record Refusal(Kind kind, String field, String message) {

    public enum Kind {
      /** The request does not match the reservation (amount, currency). */
      MISMATCH,
      /** The reservation is not in a state that takes payment. */
      STATE
    }
  }

  /** A payment of this amount, now, is acceptable; or why not. */
  public Optional<Refusal> refusal(long amountMinor, String currency, Instant now) {
    if (status != Status.HELD) {
      return Optional.of(
          new Refusal(
              Refusal.Kind.STATE,
              "reservation",
              "is " + status.name().toLowerCase(java.util.Locale.ROOT) + ", not held"));
    }
    if (!now.isBefore(expiresAt)) {
      return Optional.of(
          new Refusal(Refusal.Kind.STATE, "reservation", "hold ended at " + expiresAt));
    }
    if (!this.currency.equals(currency)) {
      return Optional.of(
          new Refusal(Refusal.Kind.MISMATCH, "currency", "must be " + this.currency));
    }
    if (this.amountMinor != amountMinor) {
      return Optional.of(
          new Refusal(Refusal.Kind.MISMATCH, "amountMinor", "must be " + this.amountMinor));
    }
    return Optional.empty();
  }
}
