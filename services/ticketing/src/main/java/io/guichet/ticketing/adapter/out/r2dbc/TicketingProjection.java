package io.guichet.ticketing.adapter.out.r2dbc;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.payment.PaymentRefunded;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import reactor.core.publisher.Mono;

/**
 * Turns what other services decided into tickets: ReservationConfirmed issues one per seat;
 * PaymentRefunded revokes the reservation's; EventCancelled revokes the event's. A poll's records,
 * their tickets, their events (outbox) and the positions after them commit in one transaction.
 */
public final class TicketingProjection {

  private final TicketStore store;
  private final Clock clock;

  public TicketingProjection(TicketStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Writes one event's change (the caller runs it in the batch's transaction). */
  public Mono<Void> project(SpecificRecord event) {
    if (event instanceof ReservationConfirmed confirmed) {
      return store.issue(confirmed, clock.instant());
    }
    if (event instanceof PaymentRefunded refunded) {
      return store.revokeReservation(refunded.getReservationId(), clock.instant());
    }
    if (event instanceof EventCancelled cancelled) {
      return store.revokeEvent(cancelled.getEventId(), clock.instant());
    }
    return Mono.empty();
  }
}
