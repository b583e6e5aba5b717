package io.guichet.ticketing.adapter.out.r2dbc;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.outbox.OutboxRelay;
import io.guichet.outbox.PositionedConsumer;
import java.time.Clock;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns what other services decided into tickets: ReservationConfirmed issues one per seat;
 * PaymentRefunded revokes the reservation's; EventCancelled revokes the event's. A poll's records,
 * their tickets, their events (outbox) and the positions after them commit in one transaction.
 */
public final class TicketingProjection implements PositionedConsumer.Projector {

  private final TicketStore store;
  private final TransactionalOperator transactions;
  private final OutboxRelay relay;
  private final Clock clock;

  public TicketingProjection(
      TicketStore store, TransactionalOperator transactions, OutboxRelay relay, Clock clock) {
    this.store = store;
    this.transactions = transactions;
    this.relay = relay;
    this.clock = clock;
  }

  @Override
  public Mono<Void> apply(
      List<ConsumerRecord<String, SpecificRecord>> records, Mono<Void> savePositions) {
    return Flux.fromIterable(records)
        .concatMap(record -> apply(record.value()))
        .then(savePositions)
        .as(transactions::transactional)
        .doOnSuccess(done -> relay.nudge());
  }

  private Mono<Void> apply(SpecificRecord event) {
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
