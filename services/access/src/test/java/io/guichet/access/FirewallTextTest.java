package io.guichet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

class FirewallTextTest {

  /** Code points around every edge the checks have: controls, tab, unassigned, surrogates. */
  private static final int[] EDGES = {
    0, '\t', '\n', '\r', 0x1f, ' ', 'a', '~', 0x7f, 0x80, 0x85, 0x9f, 0xa0, 0xe9, 0x0378, 0x2028,
    0x2029, 0x200b, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfffe, 0xffff, 0x1f600, 0x10ffff, 0xe0001,
    0x30000, 0xe01ef, 0x2fffe
  };

  @Test
  void it_lets_through_exactly_what_spring_securitys_regular_expressions_let_through() {
    Random random = new Random(20261208);
    int refusedNames = 0;
    int refusedValues = 0;
    for (int n = 0; n < 200_000; n++) {
      String text = text(random);
      boolean name = FirewallText.assignedNotControl(text);
      boolean value = FirewallText.headerValue(text);
      assertThat(name)
          .as("header name %s", escaped(text))
          .isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(text));
      assertThat(value)
          .as("header value %s", escaped(text))
          .isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(text));
      assertThat(name)
          .as("parameter name %s", escaped(text))
          .isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_PARAMETER_NAMES.test(text));
      refusedNames += name ? 0 : 1;
      refusedValues += value ? 0 : 1;
    }
    // Both outcomes were seen often, so the comparison means something.
    assertThat(refusedNames).isBetween(20_000, 180_000);
    assertThat(refusedValues).isBetween(20_000, 180_000);
  }

  @Test
  void tabs_are_allowed_in_header_values_only() {
    assertThat(FirewallText.headerValue("a\tb")).isTrue();
    assertThat(FirewallText.assignedNotControl("a\tb")).isFalse();
    assertThat(FirewallText.headerValue("Bearer abc.def-ghi_jkl~+/=")).isTrue();
    assertThat(FirewallText.headerValue("a\u0000b")).isFalse();
    assertThat(FirewallText.headerValue("caf\u00e9 \ud83d\ude00")).isTrue();
    assertThat(FirewallText.headerValue("\u0378")).isFalse();
    assertThat(FirewallText.headerValue(null))
        .isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(null))
        .isTrue();
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(6);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        text.appendCodePoint(0x20 + random.nextInt(0x5f));
      } else if (kind < 8) {
        text.appendCodePoint(EDGES[random.nextInt(EDGES.length)]);
      } else {
        text.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
      }
    }
    return text.toString();
  }

  private static String escaped(String text) {
    StringBuilder escaped = new StringBuilder();
    text.codePoints().forEach(c -> escaped.append(String.format("\\u{%x}", c)));
    return escaped.toString();
  }
}
