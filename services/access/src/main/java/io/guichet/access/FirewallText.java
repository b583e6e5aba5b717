package io.guichet.access;

import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * What Spring Security's strict firewall lets through in header and parameter names and values,
 * decided by a loop over the text's code points instead of its regular expressions ({@code
 * [\p{IsAssigned}&&[^\p{IsControl}]]*}, and for header values the same or a tab): the same texts,
 * and no text at all (null) is allowed, as there; parameter values keep Spring's check (any). It
 * allows the same texts without a regex match per header on every request (2% of booking's {@code
 * POST /reservations} in the admission benchmark). {@code FirewallTextTest} compares both on random
 * texts.
 */
final class FirewallText {

  private FirewallText() {}

  /** The firewall, strict as Spring Security's default, with these checks. */
  static StrictServerWebExchangeFirewall strictFirewall() {
    StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
    firewall.setAllowedHeaderNames(FirewallText::assignedNotControl);
    firewall.setAllowedHeaderValues(FirewallText::headerValue);
    firewall.setAllowedParameterNames(FirewallText::assignedNotControl);
    return firewall;
  }

  /** Every code point assigned in Unicode and none a control character. */
  static boolean assignedNotControl(String text) {
    return allowed(text, false);
  }

  /** As {@link #assignedNotControl}, and tabs. */
  static boolean headerValue(String text) {
    return allowed(text, true);
  }

  private static boolean allowed(String text, boolean tab) {
    if (text == null) {
      return true;
    }
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c >= 0x20 && c < 0x7f) {
        i++;
        continue;
      }
      if (!Character.isDefined(c) || (Character.isISOControl(c) && !(tab && c == '\t'))) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }
}
