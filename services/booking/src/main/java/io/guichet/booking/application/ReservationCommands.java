package io.guichet.booking.application;

import io.guichet.web.FieldError;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * The command side's use cases: admit a request and publish it for the allocator, or ask to cancel
 * a reservation. Neither decides about seats: the allocator does, in order.
 */
public final class ReservationCommands {

  private final CatalogView catalog;
  private final Admission admission;
  private final ReservationRequests requests;
  private final IdempotencyKeys keys;

  public ReservationCommands(
      CatalogView catalog, ReservationRequests requests, IdempotencyKeys keys) {
    this.catalog = catalog;
    this.admission = new Admission(catalog);
    this.requests = requests;
    this.keys = keys;
  }

  /**
   * Admits and publishes a request.
   *
   * @param idempotencyKey the client's key, or null; with a key, a retry gets the first answer and
   *     publishes nothing
   */
  public Mono<ReserveResult> reserve(ReserveCommand command, String idempotencyKey) {
    if (!catalog.ready()) {
      return Mono.just(ReserveResult.of(ReserveResult.Outcome.NOT_READY));
    }
    List<FieldError> errors = admission.check(command);
    if (!errors.isEmpty()) {
      return Mono.just(ReserveResult.refused(errors));
    }
    String reservationId = UUID.randomUUID().toString();
    if (idempotencyKey == null) {
      return requests
          .publishRequest(reservationId, command)
          .thenReturn(ReserveResult.accepted(reservationId, false));
    }
    return keys.claim(idempotencyKey, reservationId, command)
        .map(
            first -> {
              if (first.isEmpty()) {
                return ReserveResult.accepted(reservationId, false);
              }
              return first.get().fingerprint().equals(command.fingerprint())
                  ? ReserveResult.accepted(first.get().reservationId(), true)
                  : ReserveResult.of(ReserveResult.Outcome.KEY_REUSED);
            });
  }

  /**
   * Asks the allocator to cancel a reservation that can still be cancelled.
   *
   * @return whether a cancellation was requested (false: the reservation is settled)
   */
  public Mono<Boolean> cancel(ReservationView reservation, String reason) {
    if (reservation.settled()) {
      return Mono.just(false);
    }
    return requests.publishCancellation(reservation, reason).thenReturn(true);
  }
}
