package io.guichet.identity.adapter.in.web;

import io.guichet.identity.domain.Account;
import io.guichet.platform.access.Role;
import java.util.List;

/** An account as the API shows it: never a hash or a secret. */
record AccountView(
    String id,
    String email,
    List<String> roles,
    List<String> events,
    String language,
    boolean mfaEnabled,
    boolean disabled) {

  static AccountView of(Account account) {
    return new AccountView(
        account.id(),
        account.email(),
        account.roles().stream().map(Role::name).sorted().toList(),
        account.events().stream().sorted().toList(),
        account.language(),
        account.mfaEnabled(),
        account.disabled());
  }
}
