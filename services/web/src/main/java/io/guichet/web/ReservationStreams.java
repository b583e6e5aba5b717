package io.guichet.web;

import io.guichet.platform.ids.TimeOrderedIds;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What booking's and query's reservation event streams share: how long an unknown reservation is
 * waited for, and how the stream says it is not known. Reservation ids are time-ordered ({@link
 * TimeOrderedIds}): one issued less than the follow timeout ago may still be on its way to the read
 * model and is waited for until then; any other id not stored is answered {@code not-found} at
 * once, so that nobody holds a stream open by guessing ids.
 */
public final class ReservationStreams {

  private ReservationStreams() {}

  /** Raised by a stream's statuses to end it as for an unknown reservation (someone else's). */
  public static final class NotTheCallers extends RuntimeException {
    public NotTheCallers() {
      super(null, null, false, false);
    }
  }

  /**
   * The reservation's status events, or one {@code not-found} event.
   *
   * @param stored whether the read model has the reservation now (asked only when the id cannot be
   *     on its way any more)
   * @param statuses the reservation's status events, from its current one, without a time limit
   */
  public static Flux<ServerSentEvent<Object>> follow(
      String id,
      Duration followTimeout,
      Mono<Boolean> stored,
      Supplier<Flux<ServerSentEvent<Object>>> statuses) {
    Duration mayStillCome = TimeOrderedIds.stillToWait(id, followTimeout, Instant.now());
    return mayStillCome.isZero()
        ? stored.flatMapMany(
            known -> known ? waitingAtMost(followTimeout, id, statuses) : notFound(id))
        : waitingAtMost(mayStillCome, id, statuses);
  }

  private static Flux<ServerSentEvent<Object>> waitingAtMost(
      Duration wait, String id, Supplier<Flux<ServerSentEvent<Object>>> statuses) {
    return statuses
        .get()
        .timeout(Mono.delay(wait), first -> Mono.never())
        .onErrorResume(
            e -> e instanceof TimeoutException || e instanceof NotTheCallers, e -> notFound(id));
  }

  private static Mono<ServerSentEvent<Object>> notFound(String id) {
    return Mono.just(
        ServerSentEvent.<Object>builder(
                Problems.notFound("No reservation " + id + " is known.").getBody())
            .event("not-found")
            .build());
  }
}
