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
    if (!isIsoCode(currency)) {
      throw new IllegalArgumentException("not an ISO 4217 code: " + currency);
    }
  }

  /**
   * Three capital letters. Not a regular expression: every hold makes a Money (the allocator's
   * profile showed {@code String.matches} compiling its pattern on each one).
   */
  private static boolean isIsoCode(String currency) {
    if (currency.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = currency.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  /** This amount times a count, e.g. a ticket price times the tickets of an order. */
  public Money times(int count) {
    return new Money(Math.multiplyExact(minor, count), currency);
  }
}
