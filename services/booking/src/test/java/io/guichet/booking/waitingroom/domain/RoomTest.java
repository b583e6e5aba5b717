package io.guichet.booking.waitingroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RoomTest {

  private static final Instant NOW = Instant.parse("2031-06-21T18:00:00Z");
  private static final RoomSettings SIXTY_A_MINUTE =
      new RoomSettings(NOW, OptionalInt.of(60), Duration.ofMinutes(10));

  private static Room room(boolean soldOut) {
    return new Room("e-1", true, SIXTY_A_MINUTE, true, 10, 100, 20, soldOut, 60);
  }

  @Test
  void a_waiting_buyer_sees_who_is_ahead_and_the_wait_at_the_rate() {
    Place place = room(false).place("c-1", 31L, null, NOW);
    assertThat(place.state()).isEqualTo(Place.State.WAITING);
    assertThat(place.ahead()).isEqualTo(10);
    assertThat(place.estimatedWaitSeconds()).isEqualTo(11);
  }

  @Test
  void an_admitted_buyer_may_reserve_until_the_pass_lifetime_ends() {
    Place admitted = room(false).place("c-1", 5L, NOW.minusSeconds(60), NOW);
    assertThat(admitted.state()).isEqualTo(Place.State.ADMITTED);
    assertThat(admitted.passExpiresAt()).isEqualTo(NOW.plusSeconds(540));
    assertThat(room(false).place("c-1", 5L, NOW.minusSeconds(600), NOW).state())
        .isEqualTo(Place.State.PASS_EXPIRED);
  }

  @Test
  void waiting_buyers_learn_it_is_sold_out_and_the_pre_queue_that_it_is_not_drawn() {
    assertThat(room(true).place("c-1", 31L, null, NOW).state()).isEqualTo(Place.State.SOLD_OUT);
    assertThat(room(false).place("c-1", null, null, NOW).state()).isEqualTo(Place.State.PRE_QUEUE);
  }

  @Test
  void joining_again_names_the_same_queue_ticket_and_another_account_another() {
    assertThat(Room.queueTicket("e-1", "c-1")).isEqualTo(Room.queueTicket("e-1", "c-1"));
    assertThat(Room.queueTicket("e-1", "c-1")).isNotEqualTo(Room.queueTicket("e-1", "c-2"));
  }

  @Test
  void an_event_is_sold_out_when_no_offer_has_seats_for_one_more_ticket() {
    assertThat(SeatsLeft.of(List.of(new SeatsLeft.Offer(10, 2, 9))).soldOut()).isTrue();
    assertThat(SeatsLeft.of(List.of(new SeatsLeft.Offer(10, 2, 9), new SeatsLeft.Offer(5, 1, 4))))
        .isEqualTo(new SeatsLeft(2, false));
    assertThat(SeatsLeft.of(List.of()).soldOut()).isFalse();
  }

  @Test
  void settings_refuse_an_opening_years_away_a_rate_out_of_range_and_a_long_pass() {
    RoomSettings bad =
        new RoomSettings(NOW.plus(Duration.ofDays(5_000)), OptionalInt.of(0), Duration.ofHours(3));
    assertThat(bad.problems(NOW.plus(Duration.ofDays(3_650))))
        .extracting(RoomSettings.Problem::field)
        .containsExactly("opensAt", "admissionsPerMinute", "passLifetimeSeconds");
  }
}
