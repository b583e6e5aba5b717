package io.guichet.platform.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class VatTest {

  @Test
  void the_tax_included_in_a_price_is_rounded_half_up_and_net_plus_tax_is_the_price() {
    // 45.00 at 20 %: 7.50 of tax, 37.50 net.
    assertThat(Vat.included(4_500, 2_000)).isEqualTo(750);
    assertThat(Vat.net(4_500, 2_000)).isEqualTo(3_750);
    // 10.00 at 5.5 %: 0.5213... rounds to 0.52.
    assertThat(Vat.included(1_000, 550)).isEqualTo(52);
    // 0.01 at 20 %: 0.00166 rounds to 0.00; 0.03 at 20 %: 0.005 rounds up to 0.01.
    assertThat(Vat.included(1, 2_000)).isZero();
    assertThat(Vat.included(3, 2_000)).isEqualTo(1);
    assertThat(Vat.included(9_000, 0)).isZero();
    for (long gross = 0; gross < 5_000; gross += 7) {
      for (int rate : new int[] {0, 210, 550, 1_000, 2_000, 10_000}) {
        assertThat(Vat.net(gross, rate) + Vat.included(gross, rate)).isEqualTo(gross);
        assertThat(Vat.net(gross, rate)).isBetween(0L, gross);
      }
    }
  }

  @Test
  void rates_read_and_print_as_percentages() {
    assertThat(Vat.basisPoints(new BigDecimal("20"))).isEqualTo(2_000);
    assertThat(Vat.basisPoints(new BigDecimal("5.5"))).isEqualTo(550);
    assertThat(Vat.basisPoints(new BigDecimal("2.10"))).isEqualTo(210);
    assertThat(Vat.percent(2_000)).isEqualByComparingTo("20").hasToString("20");
    assertThat(Vat.percent(550)).hasToString("5.5");
    assertThat(Vat.percent(0)).hasToString("0");
    assertThatThrownBy(() -> Vat.included(100, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
