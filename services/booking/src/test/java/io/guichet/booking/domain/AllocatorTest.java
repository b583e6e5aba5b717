package io.guichet.booking.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Reservation.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllocatorTest {

  private static final EventId CONCERT = new EventId("concert");
  private static final OfferId PIT = new OfferId("pit");
  private static final Instant T0 = Instant.parse("2026-12-01T18:00:00Z");
  private static final Duration HOLD = Duration.ofMinutes(10);

  private final InMemoryAllocationState state = new InMemoryAllocationState();
  private final Allocator allocator = new Allocator(state, HOLD);
  private int requests;

  // Given

  private void on_sale(int seatsPerTicket, int seatsOnSale, int perOrder, int perCustomer) {
    allocator.eventScheduled(CONCERT, Allocator.DEFAULT_LIST_HOLD);
    allocator.offerPublished(
        CONCERT,
        new Offer(PIT, new Money(4500, "EUR"), seatsPerTicket, seatsOnSale, perOrder, perCustomer));
    allocator.salesOpened(CONCERT);
  }

  private Outcome request(String customer, int quantity) {
    return request(customer, quantity, T0);
  }

  private Outcome request(String customer, int quantity, Instant at) {
    ReservationRequest request =
        new ReservationRequest(
            new ReservationId("r" + ++requests), CONCERT, PIT, new CustomerId(customer), quantity);
    return allocator.request(request, at).orElseThrow();
  }

  private static RejectionReason reasonOf(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
    return ((Outcome.Rejected) outcome).reason();
  }

  // Holding seats

  @Test
  void holds_seats_priced_for_the_order_until_the_hold_ends() {
    on_sale(1, 100, 4, 4);

    Outcome outcome = request("ann", 3);

    assertThat(outcome).isInstanceOf(Outcome.Held.class);
    Reservation held = outcome.reservation();
    assertThat(held.seats()).isEqualTo(3);
    assertThat(held.amount()).isEqualTo(new Money(13_500, "EUR"));
    assertThat(held.expiresAt()).isEqualTo(T0.plus(HOLD));
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(3);
  }

  @Test
  void duo_and_family_offers_take_two_and_four_seats_per_ticket() {
    on_sale(2, 10, 4, 4);
    assertThat(request("ann", 2).reservation().seats()).isEqualTo(4);

    OfferId family = new OfferId("family");
    allocator.offerPublished(CONCERT, new Offer(family, new Money(9000, "EUR"), 4, 8, 2, 2));
    Outcome outcome =
        allocator
            .request(
                new ReservationRequest(
                    new ReservationId("f1"), CONCERT, family, new CustomerId("bob"), 2),
                T0)
            .orElseThrow();

    assertThat(outcome.reservation().seats()).isEqualTo(8);
    assertThat(state.seatsTaken(CONCERT, family)).isEqualTo(8);
  }

  @Test
  void rejects_a_request_when_the_offer_is_sold_out_even_partly() {
    on_sale(2, 5, 4, 4);
    request("ann", 2);

    assertThat(reasonOf(request("bob", 1)))
        .as("2 seats asked, 1 left")
        .isEqualTo(RejectionReason.SOLD_OUT);
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(4);
  }

  @Test
  void never_holds_more_seats_than_on_sale_in_a_burst_of_twenty_thousand_requests() {
    on_sale(1, 1_000, 1, 4);
    Map<Class<?>, Integer> counts = new java.util.HashMap<>();
    Map<RejectionReason, Integer> reasons = new EnumMap<>(RejectionReason.class);
    for (int i = 0; i < 20_000; i++) {
      Outcome outcome = request("customer-" + (i % 5_000), 1);
      counts.merge(outcome.getClass(), 1, Integer::sum);
      if (outcome instanceof Outcome.Rejected rejected) {
        reasons.merge(rejected.reason(), 1, Integer::sum);
      }
    }

    assertThat(counts)
        .containsEntry(Outcome.Held.class, 1_000)
        .containsEntry(Outcome.Rejected.class, 19_000);
    assertThat(reasons).containsOnlyKeys(RejectionReason.SOLD_OUT);
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(1_000);
  }

  // Refusals

  @Test
  void rejects_requests_outside_the_sales_window() {
    allocator.eventScheduled(CONCERT, Allocator.DEFAULT_LIST_HOLD);
    allocator.offerPublished(CONCERT, new Offer(PIT, new Money(4500, "EUR"), 1, 10, 4, 4));

    assertThat(reasonOf(request("ann", 1))).isEqualTo(RejectionReason.SALES_NOT_OPEN);
    allocator.salesOpened(CONCERT);
    allocator.salesClosed(CONCERT);
    assertThat(reasonOf(request("ann", 1))).isEqualTo(RejectionReason.SALES_CLOSED);
  }

  @Test
  void rejects_an_unknown_event_or_offer() {
    Outcome unknownEvent = request("ann", 1);
    assertThat(reasonOf(unknownEvent)).isEqualTo(RejectionReason.UNKNOWN_EVENT);

    on_sale(1, 10, 4, 4);
    Outcome unknownOffer =
        allocator
            .request(
                new ReservationRequest(
                    new ReservationId("x"), CONCERT, new OfferId("vip"), new CustomerId("a"), 1),
                T0)
            .orElseThrow();
    assertThat(reasonOf(unknownOffer)).isEqualTo(RejectionReason.UNKNOWN_OFFER);
    assertThat(((Outcome.Rejected) unknownOffer).detail()).contains("vip");
  }

  @Test
  void rejects_an_order_over_the_per_order_limit() {
    on_sale(1, 100, 2, 10);

    assertThat(reasonOf(request("ann", 3))).isEqualTo(RejectionReason.LIMIT_EXCEEDED);
    assertThat(state.seatsTaken(CONCERT, PIT)).isZero();
  }

  @Test
  void answers_a_request_for_no_ticket_with_a_rejection_rather_than_silence() {
    on_sale(1, 100, 2, 10);

    assertThat(reasonOf(request("ann", 0))).isEqualTo(RejectionReason.LIMIT_EXCEEDED);
    assertThat(reasonOf(request("ann", -3))).isEqualTo(RejectionReason.LIMIT_EXCEEDED);
    assertThat(state.seatsTaken(CONCERT, PIT)).isZero();
  }

  @Test
  void the_per_customer_limit_holds_across_several_requests_and_frees_up_when_a_hold_ends() {
    on_sale(1, 100, 2, 3);
    request("ann", 2);

    assertThat(reasonOf(request("ann", 2))).isEqualTo(RejectionReason.LIMIT_EXCEEDED);
    assertThat(request("ann", 1)).isInstanceOf(Outcome.Held.class);
    assertThat(reasonOf(request("ann", 1))).isEqualTo(RejectionReason.LIMIT_EXCEEDED);
    assertThat(request("bob", 2)).as("another customer").isInstanceOf(Outcome.Held.class);

    allocator.expireHolds(T0.plus(HOLD));
    assertThat(request("ann", 2, T0.plus(HOLD))).isInstanceOf(Outcome.Held.class);
  }

  // Redelivery

  @Test
  void a_request_delivered_twice_gets_one_outcome_and_takes_seats_once() {
    on_sale(1, 10, 4, 4);
    ReservationRequest request =
        new ReservationRequest(new ReservationId("once"), CONCERT, PIT, new CustomerId("ann"), 2);

    Optional<Outcome> first = allocator.request(request, T0);
    Optional<Outcome> second = allocator.request(request, T0.plusSeconds(1));

    assertThat(first).isPresent();
    assertThat(second).isEmpty();
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(2);
  }

  @Test
  void a_rejected_request_delivered_again_is_not_decided_again() {
    on_sale(1, 1, 4, 4);
    request("ann", 1);
    ReservationRequest late =
        new ReservationRequest(new ReservationId("late"), CONCERT, PIT, new CustomerId("bob"), 1);
    assertThat(allocator.request(late, T0)).containsInstanceOf(Outcome.Rejected.class);

    allocator.expireHolds(T0.plus(HOLD));

    assertThat(allocator.request(late, T0.plus(HOLD)))
        .as("seats are free now, but this one was answered")
        .isEmpty();
  }

  // Expiry

  @Test
  void an_ended_hold_returns_its_seats_to_sale_for_later_requests() {
    on_sale(1, 2, 2, 2);
    Outcome held = request("ann", 2);
    assertThat(reasonOf(request("bob", 1))).isEqualTo(RejectionReason.SOLD_OUT);

    assertThat(allocator.expireHolds(T0.plus(HOLD).minusMillis(1))).as("not yet").isEmpty();
    List<Outcome> expired = allocator.expireHolds(T0.plus(HOLD));

    assertThat(expired).singleElement().isInstanceOf(Outcome.Expired.class);
    assertThat(expired.get(0).reservationId()).isEqualTo(held.reservationId());
    assertThat(state.seatsTaken(CONCERT, PIT)).isZero();
    assertThat(request("bob", 1, T0.plus(HOLD))).isInstanceOf(Outcome.Held.class);
    assertThat(allocator.expireHolds(T0.plus(HOLD))).as("expired once").hasSize(0);
  }

  // Payment

  @Test
  void a_payment_within_the_hold_confirms_the_seats_once() {
    on_sale(1, 10, 4, 4);
    Outcome held = request("ann", 2);

    List<Outcome> confirmed =
        allocator.paymentCaptured(held.reservationId(), "pay-1", T0.plus(HOLD).minusSeconds(1));
    List<Outcome> again =
        allocator.paymentCaptured(held.reservationId(), "pay-1", T0.plus(HOLD).minusSeconds(1));

    assertThat(confirmed).singleElement().isInstanceOf(Outcome.Confirmed.class);
    assertThat(confirmed.get(0).reservation().status()).isEqualTo(Status.CONFIRMED);
    assertThat(again).isEmpty();
    assertThat(allocator.expireHolds(T0.plus(HOLD.multipliedBy(2))))
        .as("sold seats never expire")
        .isEmpty();
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(2);
  }

  @Test
  void a_payment_after_the_hold_ended_is_rejected_so_that_it_is_refunded() {
    on_sale(1, 10, 4, 4);
    Outcome held = request("ann", 2);

    List<Outcome> late = allocator.paymentCaptured(held.reservationId(), "pay-1", T0.plus(HOLD));

    assertThat(late).hasSize(2);
    assertThat(late.get(0)).isInstanceOf(Outcome.Expired.class);
    assertThat(reasonOf(late.get(1))).isEqualTo(RejectionReason.HOLD_EXPIRED);
    assertThat(state.seatsTaken(CONCERT, PIT)).isZero();
    assertThat(allocator.paymentCaptured(held.reservationId(), "pay-2", T0.plus(HOLD)))
        .singleElement()
        .satisfies(
            outcome -> assertThat(reasonOf(outcome)).isEqualTo(RejectionReason.HOLD_EXPIRED));
  }

  @Test
  void a_payment_for_an_unknown_reservation_decides_nothing() {
    on_sale(1, 10, 4, 4);

    assertThat(allocator.paymentCaptured(new ReservationId("nobody"), "pay", T0)).isEmpty();
  }

  // Cancellation

  @Test
  void cancelling_a_hold_releases_its_seats_and_the_customers_tickets() {
    on_sale(1, 2, 2, 2);
    Outcome held = request("ann", 2);

    List<Outcome> cancelled =
        allocator.cancel(held.reservationId(), "changed my mind", T0.plusSeconds(5));

    assertThat(cancelled).singleElement().isInstanceOf(Outcome.Cancelled.class);
    assertThat(state.seatsTaken(CONCERT, PIT)).isZero();
    assertThat(request("ann", 2)).isInstanceOf(Outcome.Held.class);
    assertThat(allocator.cancel(held.reservationId(), "again", T0.plusSeconds(6)))
        .as("once")
        .isEmpty();
  }

  @Test
  void a_paid_reservation_is_not_cancelled_by_the_allocator() {
    on_sale(1, 2, 2, 2);
    Outcome held = request("ann", 1);
    allocator.paymentCaptured(held.reservationId(), "pay", T0);

    assertThat(allocator.cancel(held.reservationId(), "too late", T0)).isEmpty();
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(1);
  }

  @Test
  void a_cancelled_event_releases_its_holds_and_sells_nothing_more() {
    on_sale(1, 10, 4, 4);
    Outcome held = request("ann", 2);
    Outcome paid = request("bob", 1);
    allocator.paymentCaptured(paid.reservationId(), "pay", T0);

    List<Outcome> outcomes = allocator.eventCancelled(CONCERT, "storm");

    assertThat(outcomes)
        .singleElement()
        .satisfies(o -> assertThat(o.reservationId()).isEqualTo(held.reservationId()));
    assertThat(reasonOf(request("cid", 1))).isEqualTo(RejectionReason.EVENT_CANCELLED);
    allocator.salesOpened(CONCERT);
    assertThat(reasonOf(request("cid", 1)))
        .as("a cancelled event stays closed")
        .isEqualTo(RejectionReason.EVENT_CANCELLED);
  }

  @Test
  void changing_an_offer_keeps_the_seats_already_taken() {
    on_sale(1, 10, 4, 4);
    request("ann", 4);

    allocator.offerPublished(CONCERT, new Offer(PIT, new Money(5000, "EUR"), 1, 5, 4, 4));

    assertThat(request("bob", 1).reservation().amount()).isEqualTo(new Money(5000, "EUR"));
    assertThat(reasonOf(request("cid", 1))).isEqualTo(RejectionReason.SOLD_OUT);
  }

  @Test
  void mixed_traffic_never_oversells_and_every_seat_is_accounted_for() {
    on_sale(2, 500, 3, 6);
    Random random = new Random(42);
    List<ReservationId> held = new ArrayList<>();
    Instant now = T0;
    for (int i = 0; i < 5_000; i++) {
      now = now.plusMillis(random.nextInt(500));
      int action = random.nextInt(10);
      if (action < 7) {
        Outcome outcome = request("c" + random.nextInt(300), 1 + random.nextInt(3), now);
        if (outcome instanceof Outcome.Held) {
          held.add(outcome.reservationId());
        }
      } else if (action < 8 && !held.isEmpty()) {
        allocator.paymentCaptured(held.get(random.nextInt(held.size())), "p" + i, now);
      } else if (action < 9 && !held.isEmpty()) {
        allocator.cancel(held.get(random.nextInt(held.size())), "r", now);
      } else {
        allocator.expireHolds(now);
      }
      int taken = state.seatsTaken(CONCERT, PIT);
      assertThat(taken).isBetween(0, 500);
    }
    int seatsOfLiveReservations =
        held.stream()
            .map(id -> state.reservation(id).orElseThrow())
            .filter(r -> r.status().takesSeats())
            .mapToInt(Reservation::seats)
            .sum();
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(seatsOfLiveReservations);
  }

  // Access codes

  private static final OfferId BACKSTAGE = new OfferId("backstage");

  private AccessCode code(String id, int uses, boolean presale, int discount, OfferId... offers) {
    AccessCode code =
        new AccessCode(
            id,
            CONCERT,
            "digest-" + id,
            java.util.Set.of(offers),
            uses,
            0,
            T0.minusSeconds(60),
            T0.plus(Duration.ofHours(1)),
            presale,
            discount);
    allocator.accessCodeCreated(code);
    return code;
  }

  private Outcome requestWith(String customer, OfferId offer, String codeId, Instant at) {
    ReservationRequest request =
        new ReservationRequest(
            new ReservationId("r" + ++requests),
            CONCERT,
            offer,
            new CustomerId(customer),
            1,
            codeId == null ? null : "digest-" + codeId);
    return allocator.request(request, at).orElseThrow();
  }

  @Test
  void a_code_is_used_for_exactly_its_uses_and_an_ended_hold_gives_its_use_back() {
    on_sale(1, 1_000, 4, 4);
    code("fans", 100, false, 0);

    int held = 0;
    for (int i = 0; i < 500; i++) {
      Outcome outcome = requestWith("c" + i, PIT, "fans", T0);
      if (outcome instanceof Outcome.Held) {
        held++;
        assertThat(outcome.reservation().accessCode()).isEqualTo("fans");
      } else {
        assertThat(reasonOf(outcome)).isEqualTo(RejectionReason.CODE_USED_UP);
      }
    }
    assertThat(held).isEqualTo(100);

    // One hold ends: its use comes back, for one more buyer only.
    allocator.cancel(new ReservationId("r1"), "changed my mind", T0);
    assertThat(requestWith("late-1", PIT, "fans", T0)).isInstanceOf(Outcome.Held.class);
    assertThat(reasonOf(requestWith("late-2", PIT, "fans", T0)))
        .isEqualTo(RejectionReason.CODE_USED_UP);
    // Published again (new terms), the code keeps the uses it has.
    code("fans", 101, false, 0);
    assertThat(requestWith("late-3", PIT, "fans", T0)).isInstanceOf(Outcome.Held.class);
    assertThat(reasonOf(requestWith("late-4", PIT, "fans", T0)))
        .isEqualTo(RejectionReason.CODE_USED_UP);
    // Without the code, the offer sells as usual.
    assertThat(requestWith("plain", PIT, null, T0)).isInstanceOf(Outcome.Held.class);
  }

  @Test
  void a_hidden_offer_sells_only_with_a_code_that_unlocks_it() {
    on_sale(1, 10, 4, 4);
    allocator.offerPublished(
        CONCERT, new Offer(BACKSTAGE, new Money(9_000, "EUR"), 1, 10, 2, 2, true));
    code("pit-only", 10, false, 0, PIT);
    code("backstage", 10, false, 0, BACKSTAGE);

    Outcome without = requestWith("ann", BACKSTAGE, null, T0);
    assertThat(reasonOf(without)).isEqualTo(RejectionReason.UNKNOWN_OFFER);
    assertThat(((Outcome.Rejected) without).detail())
        .isEqualTo("no offer backstage in event concert");
    assertThat(reasonOf(requestWith("ann", BACKSTAGE, "pit-only", T0)))
        .isEqualTo(RejectionReason.INVALID_CODE);
    assertThat(reasonOf(requestWith("ann", BACKSTAGE, "nobody-knows", T0)))
        .isEqualTo(RejectionReason.INVALID_CODE);
    assertThat(requestWith("ann", BACKSTAGE, "backstage", T0)).isInstanceOf(Outcome.Held.class);
  }

  @Test
  void a_presale_code_sells_before_the_opening_within_its_window_and_a_discount_lowers_the_price() {
    allocator.eventScheduled(CONCERT, Allocator.DEFAULT_LIST_HOLD);
    allocator.offerPublished(CONCERT, new Offer(PIT, new Money(4_500, "EUR"), 1, 10, 4, 4));
    code("presale", 5, true, 1_250);
    code("discount-only", 5, false, 1_000);

    assertThat(reasonOf(requestWith("ann", PIT, null, T0)))
        .isEqualTo(RejectionReason.SALES_NOT_OPEN);
    assertThat(reasonOf(requestWith("ann", PIT, "discount-only", T0)))
        .isEqualTo(RejectionReason.SALES_NOT_OPEN);
    Outcome presale = requestWith("ann", PIT, "presale", T0);
    // 45.00 less 12.5 %: 39.375, rounded half up to 39.38.
    assertThat(presale.reservation().amount()).isEqualTo(new Money(3_938, "EUR"));
    Outcome early = requestWith("bob", PIT, "presale", T0.minusSeconds(120));
    assertThat(reasonOf(early)).isEqualTo(RejectionReason.INVALID_CODE);
    assertThat(((Outcome.Rejected) early).detail()).startsWith("the access code is valid from");
    Outcome late = requestWith("bob", PIT, "presale", T0.plus(Duration.ofHours(2)));
    assertThat(reasonOf(late)).isEqualTo(RejectionReason.INVALID_CODE);
    assertThat(((Outcome.Rejected) late).detail()).startsWith("the access code expired at");

    allocator.salesOpened(CONCERT);
    assertThat(requestWith("cid", PIT, "discount-only", T0).reservation().amount())
        .isEqualTo(new Money(4_050, "EUR"));
  }

  // Waiting lists

  private List<Outcome> join(String entry, String customer, int quantity, Instant at) {
    return allocator.joinWaitingList(
        new WaitingListRequest(entry, CONCERT, PIT, new CustomerId(customer), quantity), at);
  }

  private static List<Outcome.ListUpdated> listUpdates(List<Outcome> outcomes) {
    return outcomes.stream()
        .filter(Outcome.ListUpdated.class::isInstance)
        .map(Outcome.ListUpdated.class::cast)
        .toList();
  }

  private static List<String> offeredTo(List<Outcome> outcomes) {
    return listUpdates(outcomes).stream()
        .filter(u -> u.entry().status() == WaitingEntry.Status.OFFERED)
        .map(u -> u.entry().id())
        .toList();
  }

  @Test
  void seats_that_come_back_are_offered_to_the_first_waiting_buyers_and_unclaimed_offers_move_on() {
    on_sale(1, 20, 1, 1);
    allocator.eventScheduled(CONCERT, Duration.ofHours(12));
    List<Outcome> holds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      holds.add(request("buyer-" + i, 1));
    }
    for (int i = 0; i < 50; i++) {
      List<Outcome> joined = join("w" + i, "fan-" + i, 1, T0.plusSeconds(1));
      assertThat(listUpdates(joined))
          .singleElement()
          .satisfies(
              u -> {
                assertThat(u.entry().status()).isEqualTo(WaitingEntry.Status.WAITING);
                assertThat(u.position())
                    .isEqualTo(Integer.parseInt(u.entry().id().substring(1)) + 1);
              });
    }

    // The 20 holds end unpaid: their seats go to the first 20 on the list, at once, none on sale.
    Instant ended = T0.plus(HOLD);
    List<Outcome> expired = allocator.expireHolds(ended);
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      first.add("w" + i);
    }
    assertThat(offeredTo(expired)).containsExactlyElementsOf(first);
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(20);
    List<Reservation> offers =
        expired.stream().filter(Outcome.Held.class::isInstance).map(Outcome::reservation).toList();
    assertThat(offers)
        .hasSize(20)
        .allSatisfy(
            r -> {
              assertThat(r.expiresAt()).isEqualTo(ended.plus(Duration.ofHours(12)));
              assertThat(r.id().value()).isEqualTo(r.waitingListEntry() + Allocator.OFFER_SUFFIX);
            });
    assertThat(reasonOf(request("late", 1))).isEqualTo(RejectionReason.SOLD_OUT);

    // Ten pay; the other ten offers end unpaid and move down the list, to w20..w29.
    for (int i = 0; i < 10; i++) {
      List<Outcome> paid =
          allocator.paymentCaptured(offers.get(i).id(), "pay-" + i, ended.plusSeconds(60));
      assertThat(listUpdates(paid))
          .singleElement()
          .satisfies(u -> assertThat(u.entry().status()).isEqualTo(WaitingEntry.Status.CLAIMED));
    }
    List<Outcome> lapsed = allocator.expireHolds(ended.plus(Duration.ofHours(12)));
    assertThat(
            listUpdates(lapsed).stream()
                .filter(u -> u.entry().status() == WaitingEntry.Status.LAPSED)
                .map(u -> u.entry().id()))
        .containsExactlyInAnyOrderElementsOf(first.subList(10, 20));
    List<String> next = new ArrayList<>();
    for (int i = 20; i < 30; i++) {
      next.add("w" + i);
    }
    assertThat(offeredTo(lapsed)).containsExactlyElementsOf(next);
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(20);
    assertThat(state.waiting(CONCERT, PIT)).hasSize(20);
    // A join delivered again is not decided again.
    assertThat(join("w0", "fan-0", 1, ended)).isEmpty();
  }

  @Test
  void a_list_takes_no_one_twice_nor_while_seats_are_on_sale_and_skips_who_cannot_take_the_seats() {
    on_sale(1, 4, 2, 2);
    assertThat(listUpdates(join("early", "ann", 1, T0)))
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.entry().status()).isEqualTo(WaitingEntry.Status.REFUSED);
              assertThat(u.detail()).isEqualTo("seats are on sale: reserve them");
            });
    Outcome annHeld = request("ann", 2);
    Outcome bobHeld = request("bob", 2);
    assertThat(listUpdates(join("too-many", "cid", 3, T0)).get(0).detail())
        .isEqualTo("at most 2 tickets per order");
    assertThat(listUpdates(join("cid-2", "cid", 2, T0)).get(0).entry().status())
        .isEqualTo(WaitingEntry.Status.WAITING);
    assertThat(listUpdates(join("cid-again", "cid", 1, T0)).get(0).detail())
        .isEqualTo("already on this offer's waiting list");
    assertThat(listUpdates(join("ann-more", "ann", 1, T0)).get(0).detail())
        .isEqualTo("at most 2 tickets per customer");
    assertThat(listUpdates(join("dan-1", "dan", 1, T0)).get(0).position()).isEqualTo(2);

    // bob cancels his two seats: cid (2 tickets) is first on the list and fits.
    List<Outcome> cancelled = allocator.cancel(bobHeld.reservationId(), "changed", T0);
    assertThat(offeredTo(cancelled)).containsExactly("cid-2");
    // ann cancels: her 2 seats go to dan (1 ticket), the other is back on sale.
    List<Outcome> second = allocator.cancel(annHeld.reservationId(), "changed", T0);
    assertThat(offeredTo(second)).containsExactly("dan-1");
    assertThat(state.seatsTaken(CONCERT, PIT)).isEqualTo(3);
    assertThat(request("eve", 1)).isInstanceOf(Outcome.Held.class);
  }
}
