package io.guichet.catalog.adapter.out.kafka;

import io.guichet.catalog.application.CatalogFacts;
import io.guichet.catalog.domain.AccessCode;
import io.guichet.catalog.domain.CatalogFact;
import io.guichet.catalog.domain.EventDetails;
import io.guichet.catalog.domain.SeatLayout;
import io.guichet.events.catalog.AccessCodeCreated;
import io.guichet.events.catalog.EventCancelled;
import io.guichet.events.catalog.EventKind;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SalesClosed;
import io.guichet.events.catalog.SalesOpened;
import io.guichet.events.catalog.SeatRow;
import io.guichet.events.catalog.SeatingAssigned;
import io.guichet.events.catalog.Venue;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.platform.ids.AccessCodes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Records the catalog's facts as Avro events in the outbox, keyed by event id. */
public final class OutboxCatalogFacts implements CatalogFacts {

  /** The event types the catalog publishes, for the outbox's schema warm-up. */
  public static final List<Class<? extends SpecificRecord>> TYPES =
      List.of(
          EventScheduled.class,
          OfferPublished.class,
          SalesOpened.class,
          SalesClosed.class,
          EventCancelled.class,
          AccessCodeCreated.class,
          SeatingAssigned.class);

  private final Outbox outbox;
  private final OutboxRelay relay;
  private final Clock clock;

  public OutboxCatalogFacts(Outbox outbox, OutboxRelay relay, Clock clock) {
    this.outbox = outbox;
    this.relay = relay;
    this.clock = clock;
  }

  @Override
  public Mono<Void> record(List<CatalogFact> facts) {
    return Flux.fromIterable(facts)
        .concatMap(fact -> outbox.append(fact.eventId(), toAvro(fact)))
        .then();
  }

  @Override
  public void committed() {
    relay.nudge();
  }

  private SpecificRecord toAvro(CatalogFact fact) {
    String id = UUID.randomUUID().toString();
    if (fact instanceof CatalogFact.Scheduled scheduled) {
      EventDetails details = scheduled.details();
      var venue = details.venue();
      return EventScheduled.newBuilder()
          .setId(id)
          .setOccurredAt(clock.instant())
          .setEventId(fact.eventId())
          .setOrganizerId(scheduled.organizerId())
          .setTitle(details.title())
          .setKind(EventKind.valueOf(details.kind().name()))
          .setVenue(
              new Venue(
                  venue.name(), venue.address(), venue.city(), venue.country(), venue.capacity()))
          .setStartsAt(details.start())
          .setEndsAt(details.end())
          .setTimeZone(details.timeZone().getId())
          .setStaticCodesAllowed(details.staticCodes())
          .setTransfersAllowed(details.transfers())
          .setPricesIncludeTax(details.pricesIncludeTax())
          .setWaitingListOfferSeconds(details.waitingListOfferMinutes() * 60)
          .build();
    }
    if (fact instanceof CatalogFact.OfferPublished published) {
      var terms = published.offer().terms();
      return OfferPublished.newBuilder()
          .setId(id)
          .setOccurredAt(clock.instant())
          .setEventId(fact.eventId())
          .setOfferId(published.offer().id())
          .setName(terms.name())
          .setCategory(terms.category())
          .setPriceMinor(terms.priceMinor())
          .setCurrency(terms.currency())
          .setSeatsPerTicket(terms.seatsPerTicket())
          .setSeatsOnSale(terms.seatsOnSale())
          .setMaxTicketsPerOrder(terms.maxTicketsPerOrder())
          .setMaxTicketsPerCustomer(terms.maxTicketsPerCustomer())
          .setVatRateBasisPoints(terms.vatRateBasisPoints())
          .setHidden(terms.hidden())
          .build();
    }
    if (fact instanceof CatalogFact.SalesOpened opened) {
      return SalesOpened.newBuilder()
          .setId(id)
          .setOccurredAt(clock.instant())
          .setEventId(fact.eventId())
          .setClosesAt(opened.closesAt())
          .build();
    }
    if (fact instanceof CatalogFact.SalesClosed) {
      return SalesClosed.newBuilder()
          .setId(id)
          .setOccurredAt(clock.instant())
          .setEventId(fact.eventId())
          .build();
    }
    if (fact instanceof CatalogFact.AccessCodeCreated created) {
      AccessCode code = created.code();
      return AccessCodeCreated.newBuilder()
          .setId(id)
          .setOccurredAt(clock.instant())
          .setEventId(fact.eventId())
          .setCodeId(code.id())
          .setCodeDigest(AccessCodes.digest(fact.eventId(), code.code()))
          .setOfferIds(code.offerIds())
          .setUses(code.uses())
          .setValidFrom(code.validFrom())
          .setValidUntil(code.validUntil())
          .setPresale(code.presale())
          .setDiscountBasisPoints(code.discountBasisPoints())
          .build();
    }
    if (fact instanceof CatalogFact.SeatingAssigned seated) {
      return SeatingAssigned.newBuilder()
          .setId(id)
          .setOccurredAt(clock.instant())
          .setEventId(fact.eventId())
          .setLayoutId(seated.seating().layoutId())
          .setLayoutVersion(seated.seating().layoutVersion())
          .setOffers(seated.seating().offers())
          .setRows(rows(seated.layout()))
          .build();
    }
    CatalogFact.Cancelled cancelled = (CatalogFact.Cancelled) fact;
    return EventCancelled.newBuilder()
        .setId(id)
        .setOccurredAt(clock.instant())
        .setEventId(fact.eventId())
        .setReason(cancelled.reason())
        .build();
  }

  /** Every seat, row by row: labels, categories (one when the row has one), distances. */
  static List<SeatRow> rows(SeatLayout layout) {
    List<SeatRow> rows = new ArrayList<>();
    for (SeatLayout.Section section : layout.sections()) {
      for (SeatLayout.Row row : section.rows()) {
        List<String> seats = new ArrayList<>(row.seats().size());
        List<String> categories = new ArrayList<>(row.seats().size());
        List<Float> distances = new ArrayList<>(row.seats().size());
        List<Integer> accessible = new ArrayList<>();
        List<Integer> unsold = new ArrayList<>();
        for (int i = 0; i < row.seats().size(); i++) {
          SeatLayout.Seat seat = row.seats().get(i);
          seats.add(seat.label());
          categories.add(seat.category());
          distances.add((float) section.distance(seat));
          if (seat.accessible()) {
            accessible.add(i);
          }
          if (!seat.sellable()) {
            unsold.add(i);
          }
        }
        rows.add(
            new SeatRow(
                section.label(),
                row.label(),
                seats,
                categories.stream().distinct().count() == 1
                    ? List.of(categories.get(0))
                    : categories,
                distances,
                accessible,
                unsold));
      }
    }
    return rows;
  }
}
