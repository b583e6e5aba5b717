package io.guichet.booking.domain;

import java.util.Objects;

/**
 * An amount in minor units (cents) of an ISO 4217 currency.
 *
 * @param minor amount in minor units, never negative
 * @param currency ISO 4217 code, e.g. EUR
 */
public record Money(long minor, String currency) {

  public Money {
    Objects.requireNonNull(currency, "currency");
    if (minor < 0) {
      throw new IllegalArgumentException("negative amount " + minor);
    }
    if (!currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("not an ISO 4217 code: " + currency);
    }
  }

  /** This amount times a count, e.g. a ticket price times the tickets of an order. */
  public Money times(int count) {
    return new Money(Math.multiplyExact(minor, count), currency);
  }
}
