package io.guichet.booking.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Reservation.Status;
import io.guichet.booking.domain.SeatMap.SeatRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The allocator on an event sold by seat (issue 21): its decisions and what they do to the map. */
class SeatedAllocatorTest {

  private static final EventId MATCH = new EventId("match");
  private static final OfferId STANDARD = new OfferId("standard");
  private static final OfferId BOX = new OfferId("box");
  private static final OfferId STANDING = new OfferId("standing");
  private static final Instant T0 = Instant.parse("2026-12-01T18:00:00Z");
  private static final Duration HOLD = Duration.ofMinutes(10);

  private final InMemoryAllocationState state = new InMemoryAllocationState();
  private final Allocator allocator = new Allocator(state, HOLD);
  private int requests;

  /**
   * Section "North": rows 1 and 2 of 6 "std" seats (seat 3 and 4 closest to the pitch, row 1 before
   * row 2), row 3 of 2 "box" seats; seat 6 of row 2 is never sold. A standing offer has no seats.
   */
  private Seating seated() {
    SeatMap.Builder map = SeatMap.builder();
    for (int row = 1; row <= 2; row++) {
      map.row("North", Integer.toString(row));
      for (int seat = 1; seat <= 6; seat++) {
        map.seat(
            Integer.toString(seat),
            "std",
            row * 10 + Math.abs(seat - 3.5),
            !(row == 2 && seat == 6));
      }
    }
    map.row("North", "3").seat("1", "box", 1, true).seat("2", "box", 1, true);
    allocator.eventScheduled(MATCH, Duration.ofMinutes(30));
    allocator.offerPublished(MATCH, new Offer(STANDARD, new Money(3000, "EUR"), 1, 11, 6, 6));
    allocator.offerPublished(MATCH, new Offer(BOX, new Money(9000, "EUR"), 1, 2, 2, 2));
    allocator.offerPublished(MATCH, new Offer(STANDING, new Money(2000, "EUR"), 1, 100, 6, 6));
    Seating seating =
        new Seating(MATCH, "stadium", 1, Map.of(STANDARD, "std", BOX, "box"), map.build());
    allocator.seatingAssigned(seating);
    allocator.salesOpened(MATCH);
    return seating;
  }

  private static SeatRef seat(String row, String seat) {
    return new SeatRef("North", row, seat);
  }

  private Outcome best(String customer, OfferId offer, int quantity) {
    return allocator
        .request(
            new ReservationRequest(
                new ReservationId("r" + ++requests),
                MATCH,
                offer,
                new CustomerId(customer),
                quantity),
            T0)
        .orElseThrow();
  }

  private Outcome chosen(String customer, OfferId offer, SeatRef... seats) {
    return allocator
        .request(
            new ReservationRequest(
                new ReservationId("r" + ++requests),
                MATCH,
                offer,
                new CustomerId(customer),
                seats.length,
                null,
                List.of(seats)),
            T0)
        .orElseThrow();
  }

  private static String refusal(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
    Outcome.Rejected rejected = (Outcome.Rejected) outcome;
    return rejected.reason() + ": " + rejected.detail();
  }

  private static SeatMap.Status statusOf(Seating seating, SeatRef ref) {
    return seating.map().status(seating.map().seat(ref).orElseThrow());
  }

  @Test
  void best_available_holds_adjacent_seats_closest_to_the_pitch_and_names_them() {
    Seating seating = seated();

    Outcome outcome = best("ann", STANDARD, 2);

    assertThat(outcome).isInstanceOf(Outcome.Held.class);
    assertThat(((Outcome.Held) outcome).split()).isFalse();
    assertThat(outcome.reservation().assignedSeats())
        .containsExactly(seat("1", "3"), seat("1", "4"));
    assertThat(outcome.reservation().seats()).isEqualTo(2);
    assertThat(statusOf(seating, seat("1", "3"))).isEqualTo(SeatMap.Status.HELD);
    // Four more leave no single seat alone in row 1: seats 1-4 are gone, so 5-6 go together.
    assertThat(best("bob", STANDARD, 2).reservation().assignedSeats())
        .containsExactly(seat("1", "1"), seat("1", "2"));
    assertThat(best("cy", STANDARD, 2).reservation().assignedSeats())
        .containsExactly(seat("1", "5"), seat("1", "6"));
  }

  @Test
  void a_party_that_fits_no_row_is_split_into_the_fewest_groups_and_says_so() {
    seated();
    best("ann", STANDARD, 4); // four of row 1's six, leaving two together
    best("bob", STANDARD, 3); // three of row 2's five, leaving two together

    Outcome outcome = best("cy", STANDARD, 4);

    assertThat(outcome).isInstanceOf(Outcome.Held.class);
    assertThat(((Outcome.Held) outcome).split()).isTrue();
    assertThat(outcome.reservation().assignedSeats()).hasSize(4).doesNotHaveDuplicates();
    assertThat(refusal(best("dan", STANDARD, 1))).startsWith("SOLD_OUT");
  }

  @Test
  void two_buyers_asking_for_the_same_seats_one_gets_them_the_other_is_told_which_are_taken() {
    seated();

    Outcome first = chosen("ann", STANDARD, seat("2", "1"), seat("2", "2"));
    Outcome second = chosen("bob", STANDARD, seat("2", "2"), seat("2", "3"));

    assertThat(first).isInstanceOf(Outcome.Held.class);
    assertThat(first.reservation().assignedSeats()).containsExactly(seat("2", "1"), seat("2", "2"));
    assertThat(refusal(second)).isEqualTo("SEATS_TAKEN: taken already: North 2-2");
    // Nothing of the refused request was taken: seat 3 is still free for the next buyer.
    assertThat(chosen("cy", STANDARD, seat("2", "3"))).isInstanceOf(Outcome.Held.class);
    assertThat(state.seatsTaken(MATCH, STANDARD)).isEqualTo(3);
  }

  @Test
  void seats_that_do_not_exist_or_are_not_the_offers_are_refused_naming_the_seat() {
    seated();

    assertThat(refusal(chosen("ann", STANDARD, seat("9", "1"))))
        .isEqualTo("UNKNOWN_SEAT: no seat North 9-1 in the event's seat map");
    assertThat(refusal(chosen("ann", STANDARD, seat("3", "1"))))
        .isEqualTo("UNKNOWN_SEAT: seat North 3-1 is not sold by offer standard");
    assertThat(refusal(chosen("ann", STANDARD, seat("2", "6"))))
        .isEqualTo("UNKNOWN_SEAT: seat North 2-6 is not sold by offer standard");
    assertThat(refusal(chosen("ann", STANDARD, seat("1", "1"), seat("1", "1"))))
        .isEqualTo("UNKNOWN_SEAT: seat North 1-1 is named twice");
    assertThat(refusal(chosen("ann", STANDING, seat("1", "1"))))
        .isEqualTo("UNKNOWN_SEAT: offer standing is not sold by seat: there is none to choose");
    ReservationRequest mismatch =
        new ReservationRequest(
            new ReservationId("mismatch"),
            MATCH,
            STANDARD,
            new CustomerId("ann"),
            3,
            null,
            List.of(seat("1", "1")));
    assertThat(refusal(allocator.request(mismatch, T0).orElseThrow()))
        .isEqualTo("UNKNOWN_SEAT: names 1 seats for 3 tickets: one seat per ticket");
    assertThat(state.seatsTaken(MATCH, STANDARD)).isZero();
  }

  @Test
  void general_admission_and_seated_offers_sell_side_by_side() {
    Seating seating = seated();

    Outcome standing = best("ann", STANDING, 5);
    Outcome box = best("ann", BOX, 2);

    assertThat(standing).isInstanceOf(Outcome.Held.class);
    assertThat(standing.reservation().assignedSeats()).isEmpty();
    assertThat(box.reservation().assignedSeats()).containsExactly(seat("3", "1"), seat("3", "2"));
    assertThat(seating.map().free("std")).isEqualTo(11);
    assertThat(refusal(best("bob", BOX, 1))).startsWith("SOLD_OUT");
  }

  @Test
  void expired_and_cancelled_holds_free_their_seats_and_a_paid_one_sells_them() {
    Seating seating = seated();
    Outcome expiring = chosen("ann", STANDARD, seat("1", "1"));
    Outcome cancelled = chosen("bob", STANDARD, seat("1", "2"));
    Outcome paid = chosen("cy", STANDARD, seat("1", "3"));

    allocator.cancel(cancelled.reservation().id(), "changed my mind", T0.plusSeconds(1));
    allocator.paymentCaptured(paid.reservation().id(), "pay-1", T0.plusSeconds(2));
    List<Outcome> expired = allocator.expireHolds(T0.plus(HOLD));

    assertThat(expired).singleElement().isInstanceOf(Outcome.Expired.class);
    assertThat(statusOf(seating, seat("1", "1"))).isEqualTo(SeatMap.Status.FREE);
    assertThat(statusOf(seating, seat("1", "2"))).isEqualTo(SeatMap.Status.FREE);
    assertThat(statusOf(seating, seat("1", "3"))).isEqualTo(SeatMap.Status.SOLD);
    assertThat(state.reservation(paid.reservation().id()).orElseThrow().assignedSeats())
        .containsExactly(seat("1", "3"));
    assertThat(refusal(chosen("dan", STANDARD, seat("1", "3"))))
        .isEqualTo("SEATS_TAKEN: taken already: North 1-3");
    assertThat(chosen("dan", STANDARD, seat("1", "1"), seat("1", "2")))
        .isInstanceOf(Outcome.Held.class);
  }

  @Test
  void a_payment_after_the_hold_frees_the_seats_and_is_rejected() {
    Seating seating = seated();
    Outcome held = chosen("ann", BOX, seat("3", "1"));

    List<Outcome> late =
        allocator.paymentCaptured(held.reservation().id(), "pay-1", T0.plus(HOLD).plusSeconds(1));

    assertThat(late).extracting(Object::getClass).contains(Outcome.Rejected.class);
    assertThat(statusOf(seating, seat("3", "1"))).isEqualTo(SeatMap.Status.FREE);
  }

  @Test
  void seats_that_come_back_go_to_the_waiting_list_as_the_best_seats_for_the_party() {
    seated();
    Outcome first = best("ann", BOX, 2);
    allocator.joinWaitingList(
        new WaitingListRequest("w1", MATCH, BOX, new CustomerId("bob"), 2), T0);

    List<Outcome> outcomes = allocator.expireHolds(T0.plus(HOLD));

    assertThat(first.reservation().status()).isEqualTo(Status.HELD);
    Outcome.Held offered =
        outcomes.stream()
            .filter(Outcome.Held.class::isInstance)
            .map(Outcome.Held.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(offered.reservation().waitingListEntry()).isEqualTo("w1");
    assertThat(offered.reservation().assignedSeats())
        .containsExactly(seat("3", "1"), seat("3", "2"));
  }

  @Test
  void seating_an_event_again_keeps_the_seats_reservations_took() {
    seated();
    chosen("ann", STANDARD, seat("1", "1"), seat("1", "2"));
    SeatMap.Builder again = SeatMap.builder().row("North", "1");
    for (int seat = 1; seat <= 6; seat++) {
      again.seat(Integer.toString(seat), "std", seat, true);
    }
    Seating next = new Seating(MATCH, "stadium", 2, Map.of(STANDARD, "std"), again.build());

    allocator.seatingAssigned(next);

    assertThat(statusOf(next, seat("1", "1"))).isEqualTo(SeatMap.Status.HELD);
    assertThat(statusOf(next, seat("1", "2"))).isEqualTo(SeatMap.Status.HELD);
    assertThat(
            Arrays.stream(new int[] {2, 3, 4, 5})
                .mapToObj(next.map()::status)
                .allMatch(SeatMap.Status.FREE::equals))
        .isTrue();
    assertThat(best("bob", STANDARD, 2).reservation().assignedSeats())
        .containsExactly(seat("1", "3"), seat("1", "4"));
  }
}
