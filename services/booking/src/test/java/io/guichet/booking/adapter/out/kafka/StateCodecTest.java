package io.guichet.booking.adapter.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Money;
import io.guichet.booking.domain.Reservation;
import io.guichet.booking.domain.SeatMap.SeatRef;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The changelog's records are read back by every later version of the allocator: their JSON is
 * pinned here, and read back to what was written.
 */
class StateCodecTest {

  @Test
  void a_held_reservation_is_written_as_the_changelog_has_always_held_it_and_read_back() {
    Reservation held =
        new Reservation(
            new ReservationId("r-1"),
            new EventId("e-1"),
            new OfferId("o-1"),
            new CustomerId("c-\"1\""),
            2,
            2,
            new Money(5_000, "EUR"),
            Instant.ofEpochMilli(1_700_000_000_000L),
            Reservation.Status.HELD,
            "code-1",
            "entry-1",
            List.of(new SeatRef("A", "1", "5"), new SeatRef("A", "1", "6")));

    String json = StateCodec.write(held);

    assertThat(json)
        .isEqualTo(
            "{\"id\":\"r-1\",\"event\":\"e-1\",\"offer\":\"o-1\",\"customer\":\"c-\\\"1\\\"\","
                + "\"quantity\":2,\"seats\":2,\"status\":\"HELD\",\"amountMinor\":5000,"
                + "\"currency\":\"EUR\",\"expiresAt\":1700000000000,\"accessCode\":\"code-1\","
                + "\"waitingListEntry\":\"entry-1\","
                + "\"assignedSeats\":[[\"A\",\"1\",\"5\"],[\"A\",\"1\",\"6\"]]}");
    assertThat(StateCodec.readReservation(json)).isEqualTo(held);
  }

  @Test
  void a_rejected_reservation_leaves_out_what_it_does_not_have() {
    Reservation rejected =
        new Reservation(
            new ReservationId("r-2"),
            new EventId("e-1"),
            new OfferId("o-1"),
            new CustomerId("c-2"),
            1,
            0,
            null,
            null,
            Reservation.Status.REJECTED);

    String json = StateCodec.write(rejected);

    assertThat(json)
        .isEqualTo(
            "{\"id\":\"r-2\",\"event\":\"e-1\",\"offer\":\"o-1\",\"customer\":\"c-2\","
                + "\"quantity\":1,\"seats\":0,\"status\":\"REJECTED\"}");
    assertThat(StateCodec.readReservation(json)).isEqualTo(rejected);
  }

  @Test
  void rejected_ids_are_a_json_array() {
    String json = StateCodec.writeIds(List.of("r-1", "r-\"2\"", "é"));

    assertThat(json).isEqualTo("[\"r-1\",\"r-\\\"2\\\"\",\"é\"]");
    assertThat(StateCodec.readIds(json)).containsExactly("r-1", "r-\"2\"", "é");
  }
}
