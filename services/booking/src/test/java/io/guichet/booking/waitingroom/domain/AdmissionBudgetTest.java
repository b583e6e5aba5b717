package io.guichet.booking.waitingroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionBudgetTest {

  @Test
  void a_fixed_rate_holds_over_ticks_whatever_their_period_by_carrying_the_fraction() {
    double credit = 0;
    long admitted = 0;
    // 100 per minute, ticks of 250 ms for a minute: 0.4166 of a buyer each.
    for (int tick = 0; tick < 240; tick++) {
      AdmissionBudget budget =
          AdmissionBudget.atFixedRate(100, credit, Duration.ofMillis(250), 1_000_000);
      admitted += budget.admit();
      credit = budget.credit();
    }
    assertThat(admitted).isBetween(99L, 100L);
  }

  @Test
  void admits_no_more_than_are_waiting_and_banks_no_crowd_while_nobody_waits() {
    AdmissionBudget idle = AdmissionBudget.atFixedRate(6_000, 0, Duration.ofSeconds(1), 0);
    assertThat(idle.admit()).isZero();
    assertThat(idle.credit()).isLessThanOrEqualTo(1.0);

    AdmissionBudget few =
        AdmissionBudget.atFixedRate(6_000, idle.credit(), Duration.ofSeconds(1), 3);
    assertThat(few.admit()).isEqualTo(3);
  }

  @Test
  void a_tick_long_after_the_last_counts_at_most_the_longest_gap() {
    AdmissionBudget afterRestart =
        AdmissionBudget.atFixedRate(60_000, 0, Duration.ofMinutes(5), 1_000_000);
    assertThat(afterRestart.admit()).isEqualTo(2_000);
  }

  @Test
  void as_booking_keeps_up_keeps_the_buyers_in_play_within_the_seats_left() {
    assertThat(AdmissionBudget.asBookingKeepsUp(1_000, 0, 0, 50_000, 500).admit()).isEqualTo(500);
    assertThat(AdmissionBudget.asBookingKeepsUp(1_000, 300, 600, 50_000, 500).admit())
        .isEqualTo(100);
    assertThat(AdmissionBudget.asBookingKeepsUp(1_000, 700, 600, 50_000, 500).admit()).isZero();
    assertThat(AdmissionBudget.asBookingKeepsUp(1_000, 0, 0, 7, 500).admit()).isEqualTo(7);
  }
}
