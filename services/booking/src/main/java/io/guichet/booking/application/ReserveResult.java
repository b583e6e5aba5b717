package io.guichet.booking.application;

import io.guichet.web.FieldError;
import java.util.List;

/**
 * What became of a reservation request at the front door.
 *
 * @param outcome what happened
 * @param reservationId the reservation, when accepted
 * @param errors what is wrong, when refused
 */
public record ReserveResult(Outcome outcome, String reservationId, List<FieldError> errors) {

  /** The kinds of answer. */
  public enum Outcome {
    /** Published; the allocator will answer. */
    ACCEPTED,
    /** The same Idempotency-Key and request were seen before: the first answer again. */
    REPLAYED,
    /** The request cannot be met; nothing was published. */
    REFUSED,
    /** The Idempotency-Key was first used for another request; nothing was published. */
    KEY_REUSED,
    /** Booking has not read the catalog yet; nothing was published. */
    NOT_READY,
    /** The event's waiting room is on and no valid admission pass came with it. */
    NOT_ADMITTED
  }

  static ReserveResult accepted(String reservationId, boolean replayed) {
    return new ReserveResult(
        replayed ? Outcome.REPLAYED : Outcome.ACCEPTED, reservationId, List.of());
  }

  static ReserveResult refused(List<FieldError> errors) {
    return new ReserveResult(Outcome.REFUSED, null, errors);
  }

  static ReserveResult of(Outcome outcome) {
    return new ReserveResult(outcome, null, List.of());
  }
}
