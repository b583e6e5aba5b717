package io.guichet.platform.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * VAT included in a price: rates in hundredths of a percent (basis points: 2000 is 20 %, 550 is 5.5
 * %), amounts in the currency's minor unit. A price is what the buyer pays, tax included; its tax
 * is {@code gross × rate / (1 + rate)} rounded half up to the minor unit, and its net the rest, so
 * net + tax = gross exactly.
 */
public final class Vat {

  /** The highest rate: 100 %. */
  public static final int MAX_BASIS_POINTS = 10_000;

  private Vat() {}

  /** The tax included in a gross amount at this rate. */
  public static long included(long grossMinor, int basisPoints) {
    if (basisPoints < 0 || basisPoints > MAX_BASIS_POINTS) {
      throw new IllegalArgumentException("a VAT rate is 0 to 10000 basis points: " + basisPoints);
    }
    return BigDecimal.valueOf(grossMinor)
        .multiply(BigDecimal.valueOf(basisPoints))
        .divide(BigDecimal.valueOf(MAX_BASIS_POINTS + (long) basisPoints), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** The gross amount without its tax. */
  public static long net(long grossMinor, int basisPoints) {
    return grossMinor - included(grossMinor, basisPoints);
  }

  /** The rate as a percentage: 2000 is 20, 550 is 5.5. */
  public static BigDecimal percent(int basisPoints) {
    BigDecimal percent = BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros();
    return percent.scale() < 0 ? percent.setScale(0) : percent;
  }

  /** A percentage (at most two decimals) as basis points: 5.5 is 550. */
  public static int basisPoints(BigDecimal percent) {
    return percent.movePointRight(2).intValueExact();
  }
}
