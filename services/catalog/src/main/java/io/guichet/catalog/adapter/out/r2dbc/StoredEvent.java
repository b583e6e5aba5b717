package io.guichet.catalog.adapter.out.r2dbc;

import io.guichet.catalog.domain.CatalogEvent;
import io.guichet.catalog.domain.EventDetails;
import io.guichet.catalog.domain.EventKind;
import io.guichet.catalog.domain.Offer;
import io.guichet.catalog.domain.OfferTerms;
import io.guichet.catalog.domain.SalesStatus;
import io.guichet.catalog.domain.Seating;
import io.guichet.catalog.domain.Venue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * An event as the JSON document kept in {@code catalog_events.state}: plain strings and numbers.
 *
 * @param staticCodes null in documents written before the setting existed: static codes were
 *     allowed then, and stay allowed for those events
 * @param transfers null in documents written before the setting existed: transfers allowed
 * @param pricesIncludeTax null in documents written before the setting existed: shown with tax
 * @param waitingListOfferMinutes null in documents written before the setting existed: 12 hours
 * @param seating null for an event sold as general admission only
 */
record StoredEvent(
    String id,
    String organizerId,
    String title,
    String kind,
    Venue venue,
    String startsAt,
    String endsAt,
    String timeZone,
    String status,
    List<StoredOffer> offers,
    String salesCloseAt,
    Boolean staticCodes,
    Boolean transfers,
    Boolean pricesIncludeTax,
    Integer waitingListOfferMinutes,
    Seating seating) {

  record StoredOffer(String id, OfferTerms terms) {}

  static StoredEvent of(CatalogEvent event) {
    EventDetails details = event.details();
    return new StoredEvent(
        event.id(),
        event.organizerId(),
        details.title(),
        details.kind().name(),
        details.venue(),
        details.startsAt().toString(),
        details.endsAt().toString(),
        details.timeZone().getId(),
        event.status().name(),
        event.offers().stream().map(offer -> new StoredOffer(offer.id(), offer.terms())).toList(),
        event.salesCloseAt() == null ? null : event.salesCloseAt().toString(),
        details.staticCodes(),
        details.transfers(),
        details.pricesIncludeTax(),
        details.waitingListOfferMinutes(),
        event.seating());
  }

  CatalogEvent toEvent() {
    return new CatalogEvent(
        id,
        organizerId,
        new EventDetails(
            title,
            EventKind.valueOf(kind),
            venue,
            LocalDateTime.parse(startsAt),
            LocalDateTime.parse(endsAt),
            ZoneId.of(timeZone),
            staticCodes == null || staticCodes,
            transfers == null || transfers,
            pricesIncludeTax == null || pricesIncludeTax,
            waitingListOfferMinutes == null
                ? EventDetails.DEFAULT_WAITING_LIST_OFFER_MINUTES
                : waitingListOfferMinutes),
        SalesStatus.valueOf(status),
        offers.stream().map(offer -> new Offer(offer.id(), offer.terms())).toList(),
        salesCloseAt == null ? null : Instant.parse(salesCloseAt),
        seating);
  }
}
