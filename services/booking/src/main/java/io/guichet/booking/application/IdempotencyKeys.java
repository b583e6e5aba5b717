package io.guichet.booking.application;

import java.util.Optional;
import reactor.core.publisher.Mono;

/** The port to the record of idempotency keys, written with the request they announce. */
public interface IdempotencyKeys {

  /**
   * Records the key with the request (to be published), unless the customer used it before.
   *
   * @return empty if this is the first use of the key, else what the first use asked and got
   */
  Mono<Optional<FirstUse>> claim(String key, String reservationId, ReserveCommand command);

  /**
   * @param fingerprint {@link ReserveCommand#fingerprint()} of the first request
   * @param reservationId the reservation it was given
   */
  record FirstUse(String fingerprint, String reservationId) {}
}
