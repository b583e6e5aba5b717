package io.guichet.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeNotificationsTest {

  @Test
  void ids_are_joined_in_order_into_payloads_postgresql_accepts() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      // Reservation ids as booking names them, some with non-ASCII characters (bytes, not chars).
      ids.add("event-" + i + "/r-" + "é".repeat(i % 7) + "-" + i);
    }
    List<String> payloads = ChangeNotifications.payloads(ids);

    assertThat(payloads).hasSizeGreaterThan(1);
    assertThat(payloads)
        .allSatisfy(
            payload ->
                assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(ChangeNotifications.PAYLOAD_BYTES));
    List<String> back = new ArrayList<>();
    payloads.forEach(payload -> back.addAll(Arrays.asList(payload.split(","))));
    assertThat(back).isEqualTo(ids);
  }

  @Test
  void nothing_to_announce_makes_no_payload_and_one_id_makes_one() {
    assertThat(ChangeNotifications.payloads(List.of())).isEmpty();
    assertThat(ChangeNotifications.payloads(List.of("r-1"))).containsExactly("r-1");
    String longest = "x".repeat(ChangeNotifications.PAYLOAD_BYTES);
    assertThat(ChangeNotifications.payloads(List.of("a", longest, "b")))
        .containsExactly("a", longest, "b");
    assertThatThrownBy(() -> ChangeNotifications.payloads(List.of(longest + "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
