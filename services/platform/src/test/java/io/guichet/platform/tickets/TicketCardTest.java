package io.guichet.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.platform.tickets.RotatingCode.Check;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TicketCardTest {

  private final KeyPair eventKey = ed25519();
  private final TicketCard card = new TicketCard("t-1", "e-1", "solo", "k-1");
  private final byte[] codeKey =
      RotatingCode.key("thirty-two bytes of final key!!!".getBytes(StandardCharsets.UTF_8));
  private final Instant now = Instant.parse("2026-12-06T20:00:07Z");

  @Test
  void a_presented_code_reads_back_its_card_step_and_code_and_its_card_verifies() {
    String signed = card.sign(eventKey.getPrivate());
    long step = RotatingCode.step(now);
    String presented = TicketCard.present(signed, codeKey, step);

    assertThat(presented).startsWith("GT2.").matches("GT2\\.[^.]+\\.[^.]+\\.\\d+\\.\\d{8}");
    TicketCard.Presented read = TicketCard.read(presented).orElseThrow();
    assertThat(read.card()).isEqualTo(card);
    assertThat(read.signed()).isEqualTo(signed);
    assertThat(read.step()).isEqualTo(step);
    assertThat(read.code()).isEqualTo(RotatingCode.code(codeKey, step));
    assertThat(TicketPayload.verifies(read.signed(), eventKey.getPublic())).isTrue();
    assertThat(TicketPayload.verifies(read.signed(), ed25519().getPublic())).isFalse();
    assertThat(TicketPayload.wellFormed(presented)).as("not a static payload").isFalse();
  }

  @Test
  void the_card_carries_no_secret() {
    String signed = card.sign(eventKey.getPrivate());
    String claims =
        new String(SignedClaims.UNB64.decode(signed.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(claims).isEqualTo("t-1|e-1|solo|k-1");
  }

  @Test
  void a_code_is_valid_a_step_either_side_of_now_expired_before_and_wrong_for_another_key() {
    long step = RotatingCode.step(now);
    assertThat(check(step)).isEqualTo(Check.VALID);
    assertThat(check(step - 1)).isEqualTo(Check.VALID);
    assertThat(check(step + 1)).isEqualTo(Check.VALID);
    assertThat(check(step - 4)).as("a code captured 60 s ago").isEqualTo(Check.EXPIRED);
    assertThat(check(step + 2)).isEqualTo(Check.TOO_EARLY);
    byte[] otherKey = RotatingCode.key(new byte[32]);
    assertThat(RotatingCode.check(codeKey, step, RotatingCode.code(otherKey, step), now))
        .isEqualTo(Check.WRONG);
    assertThat(RotatingCode.check(codeKey, step, RotatingCode.code(codeKey, step - 1), now))
        .as("a step's code presented as another step's")
        .isEqualTo(Check.WRONG);
    assertThat(RotatingCode.check(codeKey, step, null, now)).isEqualTo(Check.WRONG);
  }

  @Test
  void text_that_is_not_a_presented_code_does_not_read() {
    String signed = card.sign(eventKey.getPrivate());
    assertThat(TicketCard.read(signed)).as("a card without its code").isEmpty();
    assertThat(TicketCard.read(signed + ".12.1234567")).as("seven digits").isEmpty();
    assertThat(TicketCard.read(signed + ".x.12345678")).isEmpty();
    assertThat(TicketCard.read("GT2.%%%.abc.1.12345678")).isEmpty();
    String notUtf8 = SignedClaims.B64.encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe});
    assertThat(TicketCard.read("GT2." + notUtf8 + ".abc.1.12345678")).isEmpty();
    String threeClaims = SignedClaims.B64.encodeToString("t-1|e-1|solo".getBytes());
    assertThat(TicketCard.read("GT2." + threeClaims + ".abc.1.12345678")).isEmpty();
    assertThat(TicketCard.read(null)).isEmpty();
  }

  private Check check(long step) {
    return RotatingCode.check(codeKey, step, RotatingCode.code(codeKey, step), now);
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
