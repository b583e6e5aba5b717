package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.adapter.out.kafka.OutcomeEvents;
import io.guichet.booking.adapter.out.kafka.StoreAllocationState;
import io.guichet.booking.domain.Allocator;
import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Money;
import io.guichet.booking.domain.Offer;
import io.guichet.booking.domain.Outcome;
import io.guichet.booking.domain.ReservationRequest;
import io.guichet.events.booking.ReservationCancellationRequested;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SalesClosed;
import io.guichet.events.catalog.SalesOpened;
import io.guichet.events.payment.PaymentCaptured;
import io.guichet.platform.tracing.TraceParent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Feeds one task's records (an event partition's catalog facts, requests, cancellations and
 * payments, in order) to the allocator and forwards its outcomes keyed by reservation id. A
 * wall-clock punctuation ends holds whose time is up.
 */
final class AllocatorProcessor
    implements Processor<String, SpecificRecord, String, SpecificRecord> {

  private final Duration holdDuration;
  private final Duration expiryCheck;
  private ProcessorContext<String, SpecificRecord> context;
  private Allocator allocator;

  AllocatorProcessor(Duration holdDuration, Duration expiryCheck) {
    this.holdDuration = holdDuration;
    this.expiryCheck = expiryCheck;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.allocator = new Allocator(new StoreAllocationState(context), holdDuration);
    context.schedule(
        expiryCheck,
        PunctuationType.WALL_CLOCK_TIME,
        now -> emit(allocator.expireHolds(Instant.ofEpochMilli(now)), Optional.empty()));
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    // Decisions use the allocator's clock: a hold lasts its full time from when it is granted.
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    // A record that breaks a rule (an offer with impossible terms) throws; DeadLetters sends it
    // to its topic's dead-letter topic and the partition goes on.
    // The answers carry the trace of the request (or payment) they answer.
    emit(decide(record.value(), now), TraceParent.of(record.headers()));
  }

  private List<Outcome> decide(SpecificRecord value, Instant now) {
    if (value instanceof ReservationRequested requested) {
      ReservationRequest request =
          new ReservationRequest(
              new ReservationId(requested.getReservationId()),
              new EventId(requested.getEventId()),
              new OfferId(requested.getOfferId()),
              new CustomerId(requested.getCustomerId()),
              requested.getQuantity());
      return allocator.request(request, now).stream().toList();
    }
    if (value instanceof PaymentCaptured payment) {
      return allocator.paymentCaptured(
          new ReservationId(payment.getReservationId()), payment.getPaymentId(), now);
    }
    if (value instanceof ReservationCancellationRequested cancellation) {
      String reason =
          cancellation.getReason() == null ? "cancelled by the buyer" : cancellation.getReason();
      return allocator
          .cancel(new ReservationId(cancellation.getReservationId()), reason, now)
          .stream()
          .toList();
    }
    if (value instanceof EventScheduled scheduled) {
      allocator.eventScheduled(new EventId(scheduled.getEventId()));
    } else if (value instanceof OfferPublished offer) {
      allocator.offerPublished(
          new EventId(offer.getEventId()),
          new Offer(
              new OfferId(offer.getOfferId()),
              new Money(offer.getPriceMinor(), offer.getCurrency()),
              offer.getSeatsPerTicket(),
              offer.getSeatsOnSale(),
              offer.getMaxTicketsPerOrder(),
              offer.getMaxTicketsPerCustomer()));
    } else if (value instanceof SalesOpened opened) {
      allocator.salesOpened(new EventId(opened.getEventId()));
    } else if (value instanceof SalesClosed closed) {
      allocator.salesClosed(new EventId(closed.getEventId()));
    } else if (value instanceof EventCancelled cancelled) {
      return allocator.eventCancelled(new EventId(cancelled.getEventId()), cancelled.getReason());
    }
    return List.of();
  }

  private void emit(List<Outcome> outcomes, Optional<String> traceparent) {
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    for (Outcome outcome : outcomes) {
      RecordHeaders headers = new RecordHeaders();
      traceparent.ifPresent(value -> TraceParent.write(headers, value));
      context.forward(
          new Record<>(
              outcome.reservationId().value(),
              OutcomeEvents.toEvent(outcome, now),
              now.toEpochMilli(),
              headers));
    }
  }
}
