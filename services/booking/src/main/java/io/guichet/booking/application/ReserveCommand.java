package io.guichet.booking.application;

import io.guichet.platform.ids.AccessCodes;

/**
 * A buyer's request to reserve, well formed (every field present and of the right type). Whether it
 * makes sense against the catalog is {@link Admission}'s question.
 *
 * @param event the event id
 * @param offer the offer id
 * @param quantity tickets asked for
 * @param customer the buyer's account id
 * @param accessCode the access code the buyer gave, or null
 */
public record ReserveCommand(
    String event, String offer, int quantity, String customer, String accessCode) {

  /** A request without an access code. */
  public ReserveCommand(String event, String offer, int quantity, String customer) {
    this(event, offer, quantity, customer, null);
  }

  /** What makes two requests the same request, for idempotency keys. */
  public String fingerprint() {
    String base = event + '\n' + offer + '\n' + quantity + '\n' + customer;
    // Requests without a code keep the fingerprint they had before codes existed.
    return accessCode == null ? base : base + '\n' + AccessCodes.canonical(accessCode);
  }
}
