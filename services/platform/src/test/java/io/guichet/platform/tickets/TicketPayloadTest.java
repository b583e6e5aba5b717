package io.guichet.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TicketPayloadTest {

  private final KeyPair eventKey = ed25519();
  private final TicketPayload payload =
      new TicketPayload(
          "t-1",
          "e-1",
          "solo",
          "k-1",
          "thirty-two bytes of final key!!!".getBytes(StandardCharsets.UTF_8));

  @Test
  void a_signed_payload_reads_back_and_verifies_with_the_event_key() {
    String text = payload.sign(eventKey.getPrivate());

    assertThat(text).startsWith("GT1.");
    assertThat(TicketPayload.read(text)).contains(payload);
    assertThat(TicketPayload.verifies(text, eventKey.getPublic())).isTrue();
    String published = Base64.getEncoder().encodeToString(eventKey.getPublic().getEncoded());
    assertThat(TicketPayload.verifies(text, TicketPayload.publicKey(published))).isTrue();
  }

  @Test
  void any_flipped_byte_breaks_the_signature() {
    String text = payload.sign(eventKey.getPrivate());
    for (int i = 0; i < text.length(); i++) {
      char[] chars = text.toCharArray();
      chars[i] = chars[i] == 'A' ? 'B' : 'A';
      String flipped = new String(chars);
      if (!flipped.equals(text)) {
        assertThat(TicketPayload.verifies(flipped, eventKey.getPublic()))
            .as("byte %d", i)
            .isFalse();
      }
    }
  }

  @Test
  void a_flipped_byte_never_reads_as_claims_a_database_would_choke_on() {
    String text = payload.sign(eventKey.getPrivate());
    for (int i = 4; i < text.length(); i++) {
      if (text.charAt(i) == '.') {
        continue;
      }
      for (char c : new char[] {'A', 'B', '_', '-', '0'}) {
        char[] chars = text.toCharArray();
        chars[i] = c;
        TicketPayload.read(new String(chars))
            .ifPresent(
                read -> {
                  for (String claim :
                      new String[] {
                        read.ticketId(), read.eventId(), read.offerId(), read.keyId()
                      }) {
                    assertThat(claim).matches("[A-Za-z0-9._:-]+");
                  }
                });
        assertThat(TicketPayload.wellFormed(new String(chars))).isTrue();
      }
    }
  }

  @Test
  void another_events_key_does_not_verify_it() {
    String text = payload.sign(ed25519().getPrivate());
    assertThat(TicketPayload.verifies(text, eventKey.getPublic())).isFalse();
  }

  @Test
  void garbage_is_not_a_payload() {
    assertThat(TicketPayload.read("hello")).isEmpty();
    assertThat(TicketPayload.read("GT1.!!!.x")).isEmpty();
    assertThat(TicketPayload.wellFormed("GT1.!!!.x")).isFalse();
    assertThat(TicketPayload.wellFormed("GT1.abc")).isFalse();
    assertThat(TicketPayload.read(null)).isEmpty();
    assertThat(TicketPayload.verifies("GT1.abc", eventKey.getPublic())).isFalse();
  }

  @Test
  void the_fingerprint_is_the_sha256_of_the_key() {
    assertThat(TicketPayload.fingerprint("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
