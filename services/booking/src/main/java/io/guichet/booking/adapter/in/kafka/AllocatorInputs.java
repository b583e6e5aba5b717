package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.domain.AccessCode;
import io.guichet.booking.domain.Allocator;
import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Money;
import io.guichet.booking.domain.Offer;
import io.guichet.booking.domain.Outcome;
import io.guichet.booking.domain.ReservationRequest;
import io.guichet.booking.domain.SeatMap;
import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.booking.domain.Seating;
import io.guichet.booking.domain.WaitingListRequest;
import io.guichet.events.booking.ReservationCancellationRequested;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.WaitingListJoined;
import io.guichet.events.catalog.AccessCodeCreated;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SalesClosed;
import io.guichet.events.catalog.SalesOpened;
import io.guichet.events.catalog.SeatRow;
import io.guichet.events.catalog.SeatingAssigned;
import io.guichet.events.payment.PaymentCaptured;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * What each input fact of an event partition asks of the allocator: the catalog's facts, the
 * buyers' requests and cancellations, and captured payments, translated from their Avro contracts
 * to the domain's calls. A record that breaks a rule (an offer with impossible terms) throws, and
 * goes to its dead-letter topic.
 */
final class AllocatorInputs {

  /**
   * The longest reservation id the allocator takes (booking's own are about 30 characters). Ids are
   * written to the allocator's changelog, JSON-escaped (up to six bytes a character): a longer one
   * could make a changelog record too large for Kafka, fail every transaction that carries it and
   * stop the partition. Such a request is dead-lettered instead.
   */
  static final int MAX_RESERVATION_ID = 200;

  private AllocatorInputs() {}

  static List<Outcome> decide(Allocator allocator, SpecificRecord value, Instant now) {
    if (value instanceof ReservationRequested requested) {
      if (requested.getReservationId().length() > MAX_RESERVATION_ID) {
        throw new IllegalArgumentException(
            "reservation id longer than " + MAX_RESERVATION_ID + " characters");
      }
      ReservationRequest request =
          new ReservationRequest(
              new ReservationId(requested.getReservationId()),
              new EventId(requested.getEventId()),
              new OfferId(requested.getOfferId()),
              new CustomerId(requested.getCustomerId()),
              requested.getQuantity(),
              requested.getAccessCodeDigest(),
              requested.getSeats().stream()
                  .map(seat -> new SeatRef(seat.getSection(), seat.getRow(), seat.getSeat()))
                  .toList());
      return allocator.request(request, now).stream().toList();
    }
    if (value instanceof PaymentCaptured payment) {
      return allocator.paymentCaptured(
          new ReservationId(payment.getReservationId()), payment.getPaymentId(), now);
    }
    if (value instanceof ReservationCancellationRequested cancellation) {
      String reason =
          cancellation.getReason() == null ? "cancelled by the buyer" : cancellation.getReason();
      return allocator.cancel(new ReservationId(cancellation.getReservationId()), reason, now);
    }
    if (value instanceof WaitingListJoined joined) {
      if (joined.getEntryId().length() > MAX_RESERVATION_ID - Allocator.OFFER_SUFFIX.length()) {
        throw new IllegalArgumentException(
            "waiting-list entry id longer than "
                + (MAX_RESERVATION_ID - Allocator.OFFER_SUFFIX.length())
                + " characters");
      }
      return allocator.joinWaitingList(
          new WaitingListRequest(
              joined.getEntryId(),
              new EventId(joined.getEventId()),
              new OfferId(joined.getOfferId()),
              new CustomerId(joined.getCustomerId()),
              joined.getQuantity()),
          now);
    }
    if (value instanceof EventScheduled scheduled) {
      allocator.eventScheduled(
          new EventId(scheduled.getEventId()),
          Duration.ofSeconds(Math.max(1, scheduled.getWaitingListOfferSeconds())));
    } else if (value instanceof OfferPublished offer) {
      return allocator.offerPublished(
          new EventId(offer.getEventId()),
          new Offer(
              new OfferId(offer.getOfferId()),
              new Money(offer.getPriceMinor(), offer.getCurrency()),
              offer.getSeatsPerTicket(),
              offer.getSeatsOnSale(),
              offer.getMaxTicketsPerOrder(),
              offer.getMaxTicketsPerCustomer(),
              offer.getHidden()),
          now);
    } else if (value instanceof SeatingAssigned seating) {
      allocator.seatingAssigned(seating(seating));
    } else if (value instanceof SalesOpened opened) {
      return allocator.salesOpened(new EventId(opened.getEventId()), now);
    } else if (value instanceof SalesClosed closed) {
      allocator.salesClosed(new EventId(closed.getEventId()));
    } else if (value instanceof AccessCodeCreated code) {
      allocator.accessCodeCreated(
          new AccessCode(
              code.getCodeId(),
              new EventId(code.getEventId()),
              code.getCodeDigest(),
              code.getOfferIds().stream().map(OfferId::new).collect(Collectors.toSet()),
              code.getUses(),
              0,
              code.getValidFrom(),
              code.getValidUntil(),
              code.getPresale(),
              code.getDiscountBasisPoints()));
    } else if (value instanceof EventCancelled cancelled) {
      return allocator.eventCancelled(new EventId(cancelled.getEventId()), cancelled.getReason());
    }
    return List.of();
  }

  /** The seat map of an event seated on a layout, every seat free but those never sold. */
  static Seating seating(SeatingAssigned fact) {
    SeatMap.Builder map = SeatMap.builder();
    for (SeatRow row : fact.getRows()) {
      map.row(row.getSection(), row.getRow());
      Set<Integer> unsold = new HashSet<>(row.getUnsold());
      List<String> categories = row.getCategories();
      for (int i = 0; i < row.getSeats().size(); i++) {
        map.seat(
            row.getSeats().get(i),
            categories.size() == 1 ? categories.get(0) : categories.get(i),
            row.getDistances().get(i),
            !unsold.contains(i));
      }
    }
    Map<OfferId, String> categories = new HashMap<>();
    fact.getOffers().forEach((category, offer) -> categories.put(new OfferId(offer), category));
    return new Seating(
        new EventId(fact.getEventId()),
        fact.getLayoutId(),
        fact.getLayoutVersion(),
        categories,
        map.build());
  }
}
