package io.guichet.payment.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StripeSignatureTest {

  private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\"}";
  private final StripeSignature signature =
      new StripeSignature("whsec_test_secret", Duration.ofMinutes(5));
  private final Instant now = Instant.ofEpochSecond(1_800_000_000L);

  @Test
  void accepts_a_fresh_delivery_signed_with_the_secret() {
    String header = "t=1800000000,v1=" + signature.v1(1_800_000_000L, BODY);
    assertThat(signature.refusal(header, BODY, now)).isEmpty();
  }

  @Test
  void matches_the_known_hmac_sha256_of_timestamp_dot_body() {
    // HMAC-SHA256("whsec_test_secret", "1800000000.{...}"), computed independently with openssl.
    assertThat(signature.v1(1_800_000_000L, BODY))
        .isEqualTo("334f9dbfd609cf6c38f112f028756732c80faa7fdbeab117549d6303a5dcf896");
  }

  @Test
  void accepts_when_any_of_several_signatures_matches() {
    String header =
        "t=1800000000,v1="
            + "ab".repeat(32)
            + ",v1="
            + signature.v1(1_800_000_000L, BODY)
            + ",v0=x";
    assertThat(signature.refusal(header, BODY, now)).isEmpty();
  }

  @Test
  void refuses_another_secret_a_changed_body_and_malformed_headers() {
    String other =
        new StripeSignature("whsec_other", Duration.ofMinutes(5)).v1(1_800_000_000L, BODY);
    assertThat(signature.refusal("t=1800000000,v1=" + other, BODY, now)).isPresent();
    String good = "t=1800000000,v1=" + signature.v1(1_800_000_000L, BODY);
    assertThat(signature.refusal(good, BODY + " ", now)).isPresent();
    assertThat(signature.refusal(null, BODY, now)).isPresent();
    assertThat(signature.refusal("v1=" + signature.v1(1_800_000_000L, BODY), BODY, now))
        .isPresent();
    assertThat(signature.refusal("t=soon,v1=00", BODY, now)).isPresent();
  }

  @Test
  void refuses_a_genuine_signature_outside_the_tolerance_as_a_replay() {
    long old = now.minus(Duration.ofMinutes(6)).getEpochSecond();
    assertThat(signature.refusal("t=" + old + ",v1=" + signature.v1(old, BODY), BODY, now))
        .hasValueSatisfying(reason -> assertThat(reason).contains("replay"));
    long future = now.plus(Duration.ofMinutes(6)).getEpochSecond();
    assertThat(signature.refusal("t=" + future + ",v1=" + signature.v1(future, BODY), BODY, now))
        .isPresent();
  }
}
