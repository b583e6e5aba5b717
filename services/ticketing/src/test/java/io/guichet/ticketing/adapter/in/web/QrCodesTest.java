package io.guichet.ticketing.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.platform.tickets.TicketPayload;
import io.guichet.testsupport.QrReader;
import io.guichet.web.QrCodes;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QrCodesTest {

  @Test
  void every_rendered_ticket_payload_reads_back_exactly() throws Exception {
    KeyPair eventKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      byte[] finalKey = new byte[32];
      random.nextBytes(finalKey);
      String payload =
          new TicketPayload(
                  "t-" + UUID.randomUUID(),
                  UUID.randomUUID().toString(),
                  UUID.randomUUID().toString(),
                  "k-" + UUID.randomUUID(),
                  finalKey)
              .sign(eventKey.getPrivate());

      assertThat(QrReader.read(QrCodes.png(payload))).as("payload %d", i).isEqualTo(payload);
    }
  }
}
