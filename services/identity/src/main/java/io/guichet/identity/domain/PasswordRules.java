package io.guichet.identity.domain;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a new password must be: 10 to 128 characters and hard to guess, as zxcvbn judges it (score 3
 * of 4 at least: about 10^8 guesses). zxcvbn knows the common passwords, names, words, keyboard
 * walks, repeats and dates, and is told the account's email so that a password built from it is
 * refused too.
 */
public final class PasswordRules {

  public static final int MIN_LENGTH = 10;
  public static final int MAX_LENGTH = 128;
  private static final int MIN_SCORE = 3;

  private final Zxcvbn zxcvbn = new Zxcvbn();

  /** Why the password is refused, or empty when it is accepted. */
  public Optional<String> refusal(String password, String email) {
    if (password.length() < MIN_LENGTH) {
      return Optional.of("must be at least " + MIN_LENGTH + " characters");
    }
    if (password.length() > MAX_LENGTH) {
      return Optional.of("must be at most " + MAX_LENGTH + " characters");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    List<String> personal = new ArrayList<>(List.of(email, email.split("@")[0], "guichet"));
    for (String part : email.split("@")[0].split("[^\\p{L}\\p{N}]+")) {
      if (part.length() >= 4 && lower.contains(part)) {
        return Optional.of("must not contain your email's name");
      }
      personal.add(part);
    }
    Strength strength = zxcvbn.measure(password, personal);
    if (strength.getScore() < MIN_SCORE) {
      String warning = strength.getFeedback().getWarning();
      return Optional.of(
          "is too easy to guess"
              + (warning == null || warning.isBlank() ? "" : " (" + warning + ")")
              + "; use a longer passphrase");
    }
    return Optional.empty();
  }
}
