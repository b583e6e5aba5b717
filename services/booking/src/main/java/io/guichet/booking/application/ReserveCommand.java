package io.guichet.booking.application;

/**
 * A buyer's request to reserve, well formed (every field present and of the right type). Whether it
 * makes sense against the catalog is {@link Admission}'s question.
 *
 * @param event the event id
 * @param offer the offer id
 * @param quantity tickets asked for
 * @param customer the buyer's account id
 */
public record ReserveCommand(String event, String offer, int quantity, String customer) {

  /** What makes two requests the same request, for idempotency keys. */
  public String fingerprint() {
    return event + '\n' + offer + '\n' + quantity + '\n' + customer;
  }
}
