package io.guichet.booking.application;

import io.guichet.platform.ids.TimeOrderedIds;
import io.guichet.web.FieldError;
import java.util.List;
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
  private final AdmissionRule rooms;

  public ReservationCommands(
      CatalogView catalog,
      ReservationRequests requests,
      IdempotencyKeys keys,
      AdmissionRule rooms) {
    this.catalog = catalog;
    this.admission = new Admission(catalog);
    this.requests = requests;
    this.keys = keys;
    this.rooms = rooms;
  }

  /**
   * Admits and publishes a request.
   *
   * @param idempotencyKey the client's key, or null; with a key, a retry gets the first answer and
   *     publishes nothing
   * @param pass the waiting room's admission pass, or null; wanted while the event's room is on
   */
  public Mono<ReserveResult> reserve(ReserveCommand command, String idempotencyKey, String pass) {
    if (!catalog.ready() || !rooms.ready()) {
      return Mono.just(ReserveResult.of(ReserveResult.Outcome.NOT_READY));
    }
    List<FieldError> errors = admission.check(command);
    if (!errors.isEmpty()) {
      return Mono.just(ReserveResult.refused(errors));
    }
    var refusal = rooms.refusal(command.event(), command.customer(), pass);
    if (refusal.isPresent()) {
      return Mono.just(
          new ReserveResult(
              ReserveResult.Outcome.NOT_ADMITTED,
              null,
              List.of(new FieldError("Admission-Pass", refusal.get()))));
    }
    String reservationId = TimeOrderedIds.next();
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
   * Admits and publishes a request to join an offer's waiting list: whether the offer is sold out,
   * and the buyer's place, are the allocator's decisions. Without an idempotency key: a join sent
   * twice is refused the second time by the allocator (one live entry per buyer and offer).
   */
  public Mono<ReserveResult> joinWaitingList(ReserveCommand command) {
    if (!catalog.ready()) {
      return Mono.just(ReserveResult.of(ReserveResult.Outcome.NOT_READY));
    }
    List<FieldError> errors = admission.check(command);
    if (!errors.isEmpty()) {
      return Mono.just(ReserveResult.refused(errors));
    }
    String entryId = TimeOrderedIds.next();
    return requests
        .publishWaitingListJoin(entryId, command)
        .thenReturn(ReserveResult.accepted(entryId, false));
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
