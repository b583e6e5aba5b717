package io.guichet.booking.adapter.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.booking.domain.AccessCode;
import io.guichet.booking.domain.Allocator;
import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Money;
import io.guichet.booking.domain.Offer;
import io.guichet.booking.domain.Outcome;
import io.guichet.booking.domain.ReservationRequest;
import io.guichet.booking.domain.SeatMap;
import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.booking.domain.Seating;
import io.guichet.booking.domain.WaitingEntry;
import io.guichet.booking.domain.WaitingListRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The allocator's state rebuilt from what it wrote to its changelog decides exactly as the state
 * that wrote it: the same seats, the same customers' counts, the same holds to end, the same
 * redeliveries recognised.
 */
class PartitionStateTest {

  private static final EventId CONCERT = new EventId("concert");
  private static final OfferId PIT = new OfferId("pit");
  private static final Instant T0 = Instant.parse("2026-12-01T18:00:00Z");
  private static final Duration HOLD = Duration.ofMinutes(10);

  /** The changelog after compaction: the last value of each key. */
  private final Map<String, String> changelog = new LinkedHashMap<>();

  private final PartitionState written = new PartitionState();
  private final Allocator writer = new Allocator(written, HOLD);

  @Test
  void a_rebuilt_state_decides_every_next_input_as_the_state_that_wrote_the_changelog() {
    writer.eventScheduled(CONCERT, Allocator.DEFAULT_LIST_HOLD);
    writer.offerPublished(CONCERT, new Offer(PIT, new Money(4500, "EUR"), 1, 10, 4, 4));
    writer.salesOpened(CONCERT);
    for (int i = 0; i < 14; i++) {
      // ann and bob each end with 4 tickets held, the rest is refused.
      writer.request(request("r" + i, i % 2 == 0 ? "ann" : "bob", 1), T0.plusSeconds(i));
    }
    drain();
    writer.paymentCaptured(new ReservationId("r0"), "pay-r0", T0.plusSeconds(60));
    writer.cancel(new ReservationId("r1"), "changed my mind", T0.plusSeconds(61));
    drain();

    PartitionState rebuilt = new PartitionState();
    changelog.forEach(rebuilt::apply);
    rebuilt.rebuilt();
    Allocator reader = new Allocator(rebuilt, HOLD);

    assertThat(rebuilt.stocks()).isEqualTo(written.stocks());
    Instant later = T0.plusSeconds(120);
    // Redeliveries of a held, a confirmed and a refused request: no second outcome.
    for (String again : List.of("r2", "r0", "r12")) {
      assertThat(reader.request(request(again, "ann", 1), later)).isEmpty();
      assertThat(writer.request(request(again, "ann", 1), later)).isEmpty();
    }
    // ann holds 4 (one confirmed): over her limit; bob holds 3 after his cancellation: one more.
    assertSame(
        writer.request(request("n1", "ann", 1), later),
        reader.request(request("n1", "ann", 1), later));
    assertSame(
        writer.request(request("n2", "bob", 1), later),
        reader.request(request("n2", "bob", 1), later));
    // The holds end alike: every seat but the confirmed one is back on sale.
    Instant afterHolds = T0.plus(HOLD).plusSeconds(600);
    List<Outcome> expiredByWriter = writer.expireHolds(afterHolds);
    List<Outcome> expiredByReader = reader.expireHolds(afterHolds);
    assertThat(expiredByReader).hasSameSizeAs(expiredByWriter).hasSize(7);
    assertThat(expiredByReader).containsExactlyElementsOf(expiredByWriter);
    assertThat(rebuilt.stocks()).isEqualTo(written.stocks());
    assertThat(rebuilt.stocks().iterator().next().offer(PIT).orElseThrow().seatsTaken())
        .isEqualTo(1);
  }

  @Test
  void each_key_is_written_once_per_batch_and_a_batch_of_refusals_in_a_few_records() {
    writer.eventScheduled(CONCERT, Allocator.DEFAULT_LIST_HOLD);
    writer.offerPublished(CONCERT, new Offer(PIT, new Money(4500, "EUR"), 1, 1, 1, 1));
    writer.salesOpened(CONCERT);
    for (int i = 0; i < 20_000; i++) {
      writer.request(request("r" + i, "customer-" + i, 1), T0);
    }
    Map<String, Integer> writes = new LinkedHashMap<>();
    written.drainChanges((key, value) -> writes.merge(key.substring(0, 2), 1, Integer::sum));

    assertThat(writes.get(PartitionState.EVENT)).as("one stock").isEqualTo(1);
    assertThat(writes.get(PartitionState.RESERVATION)).as("the one hold").isEqualTo(1);
    assertThat(writes.get(PartitionState.REJECTIONS)).as("19,999 refusals").isBetween(1, 5);
    assertThat(written.changed()).isFalse();
  }

  @Test
  void a_rebuilt_state_knows_each_code_its_uses_and_hidden_offers_and_gives_uses_back_alike() {
    OfferId hidden = new OfferId("hidden");
    writer.eventScheduled(CONCERT, Allocator.DEFAULT_LIST_HOLD);
    writer.offerPublished(CONCERT, new Offer(PIT, new Money(4500, "EUR"), 1, 10, 4, 4));
    writer.offerPublished(CONCERT, new Offer(hidden, new Money(9000, "EUR"), 1, 10, 4, 4, true));
    writer.accessCodeCreated(
        new AccessCode("code-1", CONCERT, "digest-1", Set.of(), 3, 0, null, null, true, 1_000));
    for (int i = 0; i < 4; i++) {
      // A presale (sales not open): three get the code's three uses, the fourth is refused.
      writer.request(
          new ReservationRequest(
              new ReservationId("c" + i), CONCERT, hidden, new CustomerId("c" + i), 1, "digest-1"),
          T0);
    }
    writer.cancel(new ReservationId("c0"), "changed my mind", T0.plusSeconds(1));
    drain();

    PartitionState rebuilt = new PartitionState();
    changelog.forEach(rebuilt::apply);
    rebuilt.rebuilt();
    Allocator reader = new Allocator(rebuilt, HOLD);

    assertThat(rebuilt.stocks()).isEqualTo(written.stocks());
    assertThat(rebuilt.codeById(CONCERT, "code-1")).isEqualTo(written.codeById(CONCERT, "code-1"));
    assertThat(rebuilt.code(CONCERT, "digest-1").orElseThrow().used()).isEqualTo(2);
    Instant later = T0.plusSeconds(10);
    // The use c0 gave back, once; the hidden offer still refused without the code.
    for (String next : List.of("n1", "n2")) {
      ReservationRequest withCode =
          new ReservationRequest(
              new ReservationId(next), CONCERT, hidden, new CustomerId(next), 1, "digest-1");
      assertSame(writer.request(withCode, later), reader.request(withCode, later));
    }
    ReservationRequest withoutCode =
        new ReservationRequest(new ReservationId("n3"), CONCERT, hidden, new CustomerId("n3"), 1);
    assertSame(writer.request(withoutCode, later), reader.request(withoutCode, later));
    // The holds end alike, giving their uses back alike.
    Instant afterHolds = T0.plus(HOLD).plusSeconds(600);
    assertThat(reader.expireHolds(afterHolds))
        .containsExactlyElementsOf(writer.expireHolds(afterHolds));
    assertThat(rebuilt.code(CONCERT, "digest-1").orElseThrow().used()).isZero();
    assertThat(written.code(CONCERT, "digest-1").orElseThrow().used()).isZero();
  }

  @Test
  void a_rebuilt_state_keeps_each_waiting_list_in_order_and_offers_the_next_seats_alike() {
    writer.eventScheduled(CONCERT, Duration.ofHours(2));
    writer.offerPublished(CONCERT, new Offer(PIT, new Money(4500, "EUR"), 1, 3, 1, 1));
    writer.salesOpened(CONCERT);
    for (int i = 0; i < 3; i++) {
      writer.request(request("r" + i, "buyer-" + i, 1), T0);
    }
    for (int i = 0; i < 6; i++) {
      writer.joinWaitingList(
          new WaitingListRequest("w" + i, CONCERT, PIT, new CustomerId("fan-" + i), 1), T0);
    }
    // One seat back: w0 is offered it; w1 leaves no trace yet.
    writer.cancel(new ReservationId("r0"), "changed my mind", T0.plusSeconds(1));
    drain();

    PartitionState rebuilt = new PartitionState();
    changelog.forEach(rebuilt::apply);
    rebuilt.rebuilt();
    Allocator reader = new Allocator(rebuilt, HOLD);

    assertThat(rebuilt.stocks()).isEqualTo(written.stocks());
    assertThat(rebuilt.waiting(CONCERT, PIT)).isEqualTo(written.waiting(CONCERT, PIT)).hasSize(5);
    assertThat(rebuilt.entry("w0")).isEqualTo(written.entry("w0"));
    // The next seats (the rest of the holds ending, and w0's offer lapsing) go alike: w1, w2, w3.
    Instant later = T0.plus(HOLD).plus(Duration.ofHours(3));
    List<Outcome> byReader = reader.expireHolds(later);
    assertThat(byReader).isEqualTo(writer.expireHolds(later));
    assertThat(
            byReader.stream()
                .filter(Outcome.ListUpdated.class::isInstance)
                .map(o -> ((Outcome.ListUpdated) o).entry())
                .filter(e -> e.status() == WaitingEntry.Status.OFFERED)
                .map(WaitingEntry::id))
        .containsExactly("w1", "w2", "w3");
    WaitingListRequest again =
        new WaitingListRequest("w4", CONCERT, PIT, new CustomerId("fan-4"), 1);
    assertThat(reader.joinWaitingList(again, later)).isEmpty();
  }

  @Test
  void a_rebuilt_seat_map_has_the_same_seats_taken_and_picks_the_same_seats_next() {
    OfferId seated = new OfferId("seated");
    writer.eventScheduled(CONCERT, Allocator.DEFAULT_LIST_HOLD);
    writer.offerPublished(CONCERT, new Offer(seated, new Money(4500, "EUR"), 1, 400, 6, 6));
    writer.seatingAssigned(stadium(20, 20, seated));
    writer.salesOpened(CONCERT);
    Random random = new Random(21);
    for (int i = 0; i < 120; i++) {
      List<SeatRef> chosen =
          i % 5 == 0
              ? List.of(new SeatRef("S", "R" + random.nextInt(20), "" + random.nextInt(20)))
              : List.of();
      writer.request(
          new ReservationRequest(
              new ReservationId("r" + i),
              CONCERT,
              seated,
              new CustomerId("c" + i),
              chosen.isEmpty() ? 1 + random.nextInt(4) : 1,
              null,
              chosen),
          T0.plusSeconds(i));
    }
    for (int i = 0; i < 120; i += 3) {
      writer.paymentCaptured(new ReservationId("r" + i), "pay-" + i, T0.plusSeconds(200));
    }
    for (int i = 1; i < 120; i += 7) {
      writer.cancel(new ReservationId("r" + i), "changed my mind", T0.plusSeconds(201));
    }
    drain();

    PartitionState rebuilt = new PartitionState();
    changelog.forEach(rebuilt::apply);
    rebuilt.rebuilt();
    Allocator reader = new Allocator(rebuilt, HOLD);

    SeatMap before = written.seating(CONCERT).orElseThrow().map();
    SeatMap after = rebuilt.seating(CONCERT).orElseThrow().map();
    assertThat(after.size()).isEqualTo(400);
    for (int seat = 0; seat < before.size(); seat++) {
      assertThat(after.status(seat)).as("seat %s", before.ref(seat)).isEqualTo(before.status(seat));
      assertThat(after.distance(seat)).isEqualTo(before.distance(seat));
    }
    for (int i = 0; i < 40; i++) {
      ReservationRequest next =
          new ReservationRequest(
              new ReservationId("n" + i), CONCERT, seated, new CustomerId("n" + i), 1 + i % 4);
      assertSame(
          writer.request(next, T0.plusSeconds(300)), reader.request(next, T0.plusSeconds(300)));
    }
    assertThat(reader.expireHolds(T0.plus(HOLD).plusSeconds(600)))
        .isEqualTo(writer.expireHolds(T0.plus(HOLD).plusSeconds(600)));
  }

  @Test
  void a_stadium_of_sixty_thousand_seats_fits_in_one_changelog_record() {
    String value = StateCodec.write(stadium(1_000, 60, new OfferId("seated")));

    assertThat(value.length()).as("bytes of the record").isLessThan(900_000);
    assertThat(StateCodec.readSeating(value).map().size()).isEqualTo(60_000);
  }

  /** One section "S" of rows "R0".. of seats "0".., float distances as the catalog sends them. */
  private static Seating stadium(int rows, int seatsPerRow, OfferId offer) {
    Random random = new Random(60);
    SeatMap.Builder map = SeatMap.builder();
    for (int row = 0; row < rows; row++) {
      map.row("S", "R" + row);
      for (int seat = 0; seat < seatsPerRow; seat++) {
        float distance = (float) Math.hypot(row + 1, seat - seatsPerRow / 2.0 + random.nextFloat());
        map.seat(Integer.toString(seat), row % 10 == 9 ? "vip" : "std", distance, seat != 7);
      }
    }
    return new Seating(CONCERT, "stadium", 1, Map.of(offer, "std"), map.build());
  }

  private void drain() {
    written.drainChanges(changelog::put);
  }

  private static void assertSame(Optional<Outcome> byWriter, Optional<Outcome> byReader) {
    assertThat(byReader).isPresent();
    assertThat(byReader).isEqualTo(byWriter);
  }

  private static ReservationRequest request(String id, String customer, int quantity) {
    return new ReservationRequest(
        new ReservationId(id), CONCERT, PIT, new CustomerId(customer), quantity);
  }
}
