package io.guichet.booking.waitingroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdmissionPassTest {

  private static final byte[] KEY =
      "a key of thirty-two bytes or more, for tests".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2031-06-21T18:00:00Z");
  private final String pass = new AdmissionPass("e-1", "c-1", 42, NOW.plusSeconds(600)).sign(KEY);

  @Test
  void a_pass_verifies_for_its_event_and_account_until_it_expires() {
    assertThat(AdmissionPass.verify(pass, KEY, "e-1", "c-1", NOW))
        .isEqualTo(
            new AdmissionPass.Check.Valid(
                new AdmissionPass("e-1", "c-1", 42, NOW.plusSeconds(600))));
  }

  @Test
  void refuses_another_event_another_account_and_an_expired_pass() {
    assertThat(reason(AdmissionPass.verify(pass, KEY, "e-2", "c-1", NOW))).contains("event");
    assertThat(reason(AdmissionPass.verify(pass, KEY, "e-1", "c-2", NOW))).contains("account");
    assertThat(reason(AdmissionPass.verify(pass, KEY, "e-1", "c-1", NOW.plusSeconds(600))))
        .contains("expired");
  }

  @Test
  void refuses_a_forged_pass_whatever_was_changed() {
    String[] parts = pass.split("\\.");
    String longer =
        String.join(".", parts[0], parts[1], parts[2], parts[3], "99999999999999", parts[5]);
    String otherPlace = String.join(".", parts[0], parts[1], parts[2], "1", parts[4], parts[5]);
    String otherKey =
        new AdmissionPass("e-1", "c-1", 42, NOW.plusSeconds(600))
            .sign("another key, also thirty-two bytes long".getBytes(StandardCharsets.UTF_8));

    for (String forged : new String[] {longer, otherPlace, otherKey}) {
      assertThat(reason(AdmissionPass.verify(forged, KEY, "e-1", "c-1", NOW)))
          .contains("signature");
    }
    for (String junk : new String[] {null, "", "v1.x", "v2" + pass.substring(2), pass + ".x"}) {
      assertThat(AdmissionPass.verify(junk, KEY, "e-1", "c-1", NOW))
          .isInstanceOf(AdmissionPass.Check.Refused.class);
    }
  }

  private static String reason(AdmissionPass.Check check) {
    assertThat(check).isInstanceOf(AdmissionPass.Check.Refused.class);
    return ((AdmissionPass.Check.Refused) check).reason();
  }
}
