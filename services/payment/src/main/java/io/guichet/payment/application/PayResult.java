package io.guichet.payment.application;

import io.guichet.payment.domain.Payable;
import io.guichet.payment.domain.Payment;
import java.time.Duration;

/** What became of a request to pay. */
public sealed interface PayResult {

  /** No reservation held under this id is known (yet). */
  record UnknownReservation(String reservationId) implements PayResult {}

  /** The request does not fit the reservation, or the reservation takes no payment now. */
  record Refused(Payable.Refusal refusal) implements PayResult {}

  /**
   * The payment as it stands: captured, failed, or still processing (the provider did not answer in
   * time). {@code isNew} is false when another request had already started it.
   */
  record Done(Payment payment, boolean isNew) implements PayResult {}

  /** The provider is not being called now (its circuit is open). */
  record Unavailable(Duration retryAfter) implements PayResult {}
}
