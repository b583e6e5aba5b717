package io.guichet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;

class BearerTokenHeaderTest {

  private static final String[] STARTS = {
    "Bearer ",
    "bearer ",
    "BEARER ",
    "bEaReR ",
    "Bearer",
    "Bearer  ",
    "Bearer\t",
    "Basic ",
    "",
    "Bearerx ",
    "Bear ",
    "Beare\u0280 ",
    "\u212aearer ",
    "Bearer =",
    " Bearer "
  };

  private static final String TOKEN_CHARACTERS =
      "abcXYZ0189-._~+/==== \t,;:\"%\u00e9\u212a\u0131\u017f";

  @Test
  void it_reads_what_spring_securitys_converter_reads_and_refuses_what_it_refuses() {
    Random random = new Random(20261208);
    ServerBearerTokenAuthenticationConverter spring =
        new ServerBearerTokenAuthenticationConverter();
    BearerTokenHeader ours = new BearerTokenHeader();
    int tokens = 0;
    int malformed = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder header = new StringBuilder(STARTS[random.nextInt(STARTS.length)]);
      int length = random.nextInt(12);
      boolean clean = random.nextBoolean();
      for (int i = 0; i < length; i++) {
        header.append(
            TOKEN_CHARACTERS.charAt(random.nextInt(clean ? 17 : TOKEN_CHARACTERS.length())));
      }
      String value = header.toString();
      String expected = outcome(spring, value);
      assertThat(outcome(ours, value)).as("Authorization: [%s]", value).isEqualTo(expected);
      tokens += expected.startsWith("token ") ? 1 : 0;
      malformed += expected.equals("invalid_token") ? 1 : 0;
    }
    assertThat(outcome(ours, null)).isEqualTo(outcome(spring, null)).isEqualTo("none");
    // Each outcome was seen often, so the comparison means something.
    assertThat(tokens).isGreaterThan(2_000);
    assertThat(malformed).isGreaterThan(2_000);
  }

  @Test
  void a_token_is_what_follows_the_word_and_its_space() {
    assertThat(BearerTokenHeader.token("Bearer eyJ.a-b_c~d+e/f==")).isEqualTo("eyJ.a-b_c~d+e/f==");
    assertThat(BearerTokenHeader.token("bearer abc")).isEqualTo("abc");
    assertThat(BearerTokenHeader.token("Bearer abc=d")).isNull();
    assertThat(BearerTokenHeader.token("Bearer =")).isNull();
    assertThat(BearerTokenHeader.token("Bearer ")).isNull();
  }

  private static String outcome(ServerAuthenticationConverter converter, String authorization) {
    MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/reservations");
    if (authorization != null) {
      request.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    try {
      var authentication = converter.convert(MockServerWebExchange.from(request)).block();
      return authentication == null
          ? "none"
          : "token " + ((BearerTokenAuthenticationToken) authentication).getToken();
    } catch (OAuth2AuthenticationException e) {
      return e.getError().getErrorCode();
    }
  }
}
