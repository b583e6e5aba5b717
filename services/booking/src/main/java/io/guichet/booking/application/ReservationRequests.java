package io.guichet.booking.application;

import reactor.core.publisher.Mono;

/** The port to the requests topic, for requests that write no table. */
public interface ReservationRequests {

  /** Publishes the request; completes once the broker has it. */
  Mono<Void> publishRequest(String reservationId, ReserveCommand command);

  /** Publishes a request to join an offer's waiting list; completes once the broker has it. */
  Mono<Void> publishWaitingListJoin(String entryId, ReserveCommand command);

  /** Publishes a request to cancel; completes once the broker has it. */
  Mono<Void> publishCancellation(ReservationView reservation, String reason);
}
