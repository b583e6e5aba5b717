package io.guichet.ticketing.adapter.out.r2dbc;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.gate.ScanOutcome;
import io.guichet.events.gate.TicketScanned;
import io.guichet.events.identity.AccountRegistered;
import io.guichet.events.payment.PaymentRefunded;
import io.guichet.outbox.PositionedConsumer;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.Mono;

/**
 * Turns what other services decided into tickets: ReservationConfirmed issues one per seat;
 * PaymentRefunded revokes the reservation's; EventCancelled revokes the event's; EventScheduled
 * says whether the event's tickets may be shown as a static code and be transferred;
 * AccountRegistered gives an account's email (who may accept a transfer); TicketScanned ACCEPTED
 * marks a ticket used (not transferred any more). A poll's records, their tickets, their events
 * (outbox) and the positions after them commit in one transaction.
 *
 * <p>A poll is written set-based, a handful of statements whatever its size: the confirmations'
 * tickets, then the refunds' revocations, then the cancelled events'. Confirmations, refunds and
 * cancellations come from three topics, so no order between them is promised within a poll; this
 * one revokes what a refund or a cancellation concerns whatever came first, and issues nothing for
 * an event cancelled in the same poll (as for one cancelled before: payment refunds it). Most
 * records of an on-sale (requests refused, holds) cost no statement.
 *
 * <p>Each record that causes events gets its consumer span ({@link PositionedConsumer#span}), and
 * its events carry that span's trace context, as when records were written one by one.
 */
public final class TicketingProjection {

  private final TicketStore store;
  private final Clock clock;
  private final ObservationRegistry observations;

  public TicketingProjection(TicketStore store, Clock clock, ObservationRegistry observations) {
    this.store = store;
    this.clock = clock;
    this.observations = observations;
  }

  /**
   * Writes a poll's records (the caller runs it in the batch's transaction, with its positions).
   */
  public Mono<Void> project(List<ConsumerRecord<String, SpecificRecord>> records) {
    List<ReservationConfirmed> confirmed = new ArrayList<>();
    Map<String, String> refunded = new HashMap<>();
    Map<String, String> cancelled = new HashMap<>();
    Map<String, String> confirmationTraces = new HashMap<>();
    List<PositionedConsumer.RecordSpan> spans = new ArrayList<>();
    // The last description of each event in the poll (one event's facts are in order).
    Map<String, TicketStore.Policy> policies = new LinkedHashMap<>();
    Map<String, String> emails = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (ConsumerRecord<String, SpecificRecord> record : records) {
      SpecificRecord event = record.value();
      if (event instanceof EventScheduled scheduled) {
        policies.put(
            scheduled.getEventId(),
            new TicketStore.Policy(
                scheduled.getStaticCodesAllowed(), scheduled.getTransfersAllowed()));
        continue;
      }
      if (event instanceof AccountRegistered account) {
        emails.put(account.getAccountId(), account.getEmail());
        continue;
      }
      if (event instanceof TicketScanned scan) {
        if (scan.getOutcome() == ScanOutcome.ACCEPTED && scan.getTicketId() != null) {
          used.add(scan.getTicketId());
        }
        continue;
      }
      Map<String, String> traces;
      String id;
      if (event instanceof ReservationConfirmed confirmation) {
        confirmed.add(confirmation);
        traces = confirmationTraces;
        id = confirmation.getReservationId();
      } else if (event instanceof PaymentRefunded refund) {
        traces = refunded;
        id = refund.getReservationId();
      } else if (event instanceof EventCancelled cancellation) {
        traces = cancelled;
        id = cancellation.getEventId();
      } else {
        continue;
      }
      PositionedConsumer.RecordSpan span = PositionedConsumer.span(observations, record);
      spans.add(span);
      // The first record for an id gives its events' trace (a second is a redelivery, or changes
      // nothing more).
      traces.putIfAbsent(id, span.traceparent().orElse(""));
    }
    Instant now = clock.instant();
    return store
        .policies(policies)
        .then(store.accounts(emails))
        .then(store.used(used))
        .then(store.issue(confirmed, confirmationTraces, cancelled.keySet(), now))
        .then(store.revokeReservations(refunded, now))
        .then(store.revokeEvents(cancelled, now))
        .doFinally(signal -> spans.forEach(PositionedConsumer.RecordSpan::stop));
  }
}
