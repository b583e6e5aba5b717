package io.guichet.testsupport;

import io.guichet.events.identity.AccountRegistered;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Identity's facts as the services read them, for tests that publish them themselves. */
public final class IdentityFixtures {

  private IdentityFixtures() {}

  /** A customer account registered under this address, to publish on {@code identity.accounts}. */
  public static AccountRegistered registered(String account, String email, String language) {
    return AccountRegistered.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setAccountId(account)
        .setEmail(email)
        .setRoles(List.of("CUSTOMER"))
        .setLanguage(language)
        .build();
  }
}
