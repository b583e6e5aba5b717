package io.guichet.identity.adapter.in.web;

import io.guichet.identity.application.Credentials;
import io.guichet.identity.domain.PasswordRules;
import io.guichet.platform.access.Role;
import io.guichet.platform.ids.EmailAddress;
import io.guichet.web.constraints.Identifier;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Identity's request bodies: records the framework binds and Bean Validation checks. */
final class IdentityRequests {

  private IdentityRequests() {}

  private static final String REQUIRED = "is required";
  private static final String EMAIL_SIZE =
      "must be 1 to " + EmailAddress.MAX_LENGTH + " characters";
  private static final String PASSWORD_SIZE =
      "must be 1 to " + PasswordRules.MAX_LENGTH + " characters";

  /**
   * {@code POST /accounts}: a customer registers.
   *
   * @param password taken exactly as sent (spaces count)
   * @param language {@code fr} (default) or {@code en}, for emails
   */
  record Registration(
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = EmailAddress.MAX_LENGTH, message = EMAIL_SIZE)
          String email,
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = PasswordRules.MAX_LENGTH, message = PASSWORD_SIZE)
          String password,
      @Pattern(regexp = "(?i)en|fr", message = "must be one of en, fr") String language) {

    String languageOrDefault() {
      return language == null ? "fr" : language.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * {@code POST /auth/login}.
   *
   * @param code the current TOTP code, once the account has a second factor
   * @param recoveryCode a one-time recovery code, instead of {@code code}
   */
  record Login(
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = EmailAddress.MAX_LENGTH, message = EMAIL_SIZE)
          String email,
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = PasswordRules.MAX_LENGTH, message = PASSWORD_SIZE)
          String password,
      @Size(max = 10, message = "must be at most 10 characters") String code,
      @Size(max = 40, message = "must be at most 40 characters") String recoveryCode) {

    /** A malformed email is simply a failed login, not a hint. */
    Credentials credentials() {
      return new Credentials(
          EmailAddress.parse(email.strip()).orElse(email),
          password,
          strip(code),
          strip(recoveryCode));
    }
  }

  /** {@code POST /auth/mfa/enrollment}: the account's own credentials. */
  record Enrollment(
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = EmailAddress.MAX_LENGTH, message = EMAIL_SIZE)
          String email,
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = PasswordRules.MAX_LENGTH, message = PASSWORD_SIZE)
          String password) {

    Credentials credentials() {
      return new Login(email, password, null, null).credentials();
    }
  }

  /**
   * {@code POST /auth/mfa/activation}: the credentials and the first code the authenticator shows.
   */
  record Activation(
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = EmailAddress.MAX_LENGTH, message = EMAIL_SIZE)
          String email,
      @NotNull(message = REQUIRED)
          @Size(min = 1, max = PasswordRules.MAX_LENGTH, message = PASSWORD_SIZE)
          String password,
      @NotNull(message = REQUIRED) @Size(min = 1, max = 10, message = "must be 1 to 10 characters")
          String code) {

    Credentials credentials() {
      return new Login(email, password, code, null).credentials();
    }
  }

  /**
   * {@code PUT /accounts/{id}/roles}: the account's roles, all of them.
   *
   * @param events the events a SCANNER scans for (only for a scanner)
   */
  record Roles(
      @NotNull(message = REQUIRED) @Size(min = 1, max = 4, message = "must hold 1 to 4 roles")
          List<@NotNull(message = REQUIRED) Role> roles,
      @Size(max = 500, message = "must hold at most 500 events")
          List<@NotNull(message = REQUIRED) @Identifier String> events) {

    Set<Role> roleSet() {
      return Set.copyOf(roles);
    }

    Set<String> eventSet() {
      return events == null ? Set.of() : Set.copyOf(events);
    }
  }

  private static String strip(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
