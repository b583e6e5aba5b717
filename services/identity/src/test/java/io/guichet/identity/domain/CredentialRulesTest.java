package io.guichet.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.platform.ids.EmailAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CredentialRulesTest {

  private final PasswordRules rules = new PasswordRules();

  @Test
  void weak_common_and_email_based_passwords_are_refused() {
    assertThat(rules.refusal("short1!", "ana@example.org")).isPresent();
    assertThat(rules.refusal("password123", "ana@example.org")).isPresent();
    assertThat(rules.refusal("qwertyuiop", "ana@example.org")).isPresent();
    assertThat(rules.refusal("lopez.ana.2024", "ana.lopez@example.org")).isPresent();
    assertThat(rules.refusal("x".repeat(129), "ana@example.org")).isPresent();
    assertThat(rules.refusal("correct horse battery staple", "ana@example.org")).isEmpty();
    assertThat(rules.refusal("T7#kq!vR2m@Lp9x", "ana@example.org")).isEmpty();
  }

  @Test
  void email_addresses_are_checked_and_kept_in_lower_case() {
    assertThat(EmailAddress.parse(" Ana.Lopez@Example.ORG ")).hasValue("ana.lopez@example.org");
    assertThat(EmailAddress.parse("ana+tickets@mail.example.org")).isPresent();
    assertThat(EmailAddress.parse("ana")).isEmpty();
    assertThat(EmailAddress.parse("ana@localhost")).isEmpty();
    assertThat(EmailAddress.parse("ana@@example.org")).isEmpty();
    assertThat(EmailAddress.parse("an a@example.org")).isEmpty();
    assertThat(EmailAddress.parse(".ana@example.org")).isEmpty();
    assertThat(EmailAddress.parse("a".repeat(65) + "@example.org")).isEmpty();
    assertThat(EmailAddress.parse("ana@" + "e".repeat(250) + ".org")).isEmpty();
  }

  @Test
  void the_lock_starts_after_five_failures_doubles_and_is_capped() {
    assertThat(LoginThrottle.lockAfter(4)).isZero();
    assertThat(LoginThrottle.lockAfter(5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(LoginThrottle.lockAfter(6)).isEqualTo(Duration.ofSeconds(60));
    assertThat(LoginThrottle.lockAfter(100)).isEqualTo(Duration.ofMinutes(15));
  }
}
