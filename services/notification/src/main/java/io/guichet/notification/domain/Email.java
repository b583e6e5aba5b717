package io.guichet.notification.domain;

import java.util.Map;

/**
 * An email to send: the fact it tells of (its values, by name) and the account it goes to.
 *
 * @param emailId the fact's event id and kind (and recipient, when a fact writes to several): one
 *     email per fact
 * @param attempts how many times sending it failed
 */
public record Email(
    String emailId, EmailKind kind, String accountId, Map<String, String> facts, int attempts) {

  public Email {
    facts = Map.copyOf(facts);
  }

  /**
   * The {@code accountId} of an email to an address rather than an account (a transfer offered to
   * someone who may have no account yet): this prefix, then the address.
   */
  public static final String TO_ADDRESS = "address:";

  /** The address it goes to when it is not to an account, else null. */
  public String address() {
    return accountId.startsWith(TO_ADDRESS) ? accountId.substring(TO_ADDRESS.length()) : null;
  }

  /** The event it is about, whose title and date it shows. */
  public String eventId() {
    return facts.get("eventId");
  }
}
