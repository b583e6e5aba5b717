package io.guichet.platform.ids;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An email address as an account's login: an ASCII local part of at most 64 characters, an at sign
 * and a domain of dot-separated labels (at least two), 254 characters in all, kept in lower case.
 * Stricter than RFC 5322 on purpose: quoted local parts and IP literals are not logins.
 */
public final class EmailAddress {

  public static final int MAX_LENGTH = 254;

  private static final Pattern LOCAL =
      Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
  private static final Pattern DOMAIN =
      Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

  private EmailAddress() {}

  /** The address in canonical form, or empty when it is not one. */
  public static Optional<String> parse(String text) {
    if (text == null || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String email = text.trim().toLowerCase(Locale.ROOT);
    int at = email.lastIndexOf('@');
    if (at <= 0 || at > 64 || at == email.length() - 1) {
      return Optional.empty();
    }
    return LOCAL.matcher(email.substring(0, at)).matches()
            && DOMAIN.matcher(email.substring(at + 1)).matches()
        ? Optional.of(email)
        : Optional.empty();
  }
}
