package io.guichet.catalog.adapter.in.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.guichet.catalog.domain.CatalogEvent;
import io.guichet.catalog.domain.Offer;
import io.guichet.catalog.domain.Seating;
import io.guichet.catalog.domain.Venue;
import io.guichet.platform.money.Vat;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * An event as the API shows it: wall-clock times in the venue's zone, with the UTC instants.
 *
 * @param seatsOffered seats on sale across the offers listed
 * @param offers its offers; hidden ones only for its organizer and for a buyer whose access code
 *     unlocks them
 * @param staticCodes whether its tickets may also be shown as a static code (printed tickets)
 * @param transfers whether a holder may transfer a ticket to another account
 * @param pricesIncludeTax whether its prices are shown with tax (consumers) or without
 *     (businesses); each offer gives both: its {@code priceMinor} (paid, tax included) and {@code
 *     priceExcludingTaxMinor}
 * @param waitingListOfferMinutes how long seats that come back are held for the next buyer on a
 *     waiting list
 * @param seating the seat layout version it is sold on and the offer selling each of its
 *     categories; absent when every offer is general admission
 */
record EventView(
    String id,
    String organizer,
    String title,
    String kind,
    Venue venue,
    String startsAt,
    String endsAt,
    String timeZone,
    String startsAtUtc,
    String endsAtUtc,
    String status,
    int seatsOffered,
    List<OfferView> offers,
    boolean staticCodes,
    boolean transfers,
    boolean pricesIncludeTax,
    int waitingListOfferMinutes,
    @JsonInclude(JsonInclude.Include.NON_NULL) Seating seating) {

  record OfferView(
      String id,
      String name,
      String category,
      long priceMinor,
      String currency,
      int seatsPerTicket,
      int seatsOnSale,
      int maxTicketsPerOrder,
      int maxTicketsPerCustomer,
      BigDecimal vatRate,
      long priceExcludingTaxMinor,
      boolean hidden) {

    static OfferView of(Offer offer) {
      var terms = offer.terms();
      return new OfferView(
          offer.id(),
          terms.name(),
          terms.category(),
          terms.priceMinor(),
          terms.currency(),
          terms.seatsPerTicket(),
          terms.seatsOnSale(),
          terms.maxTicketsPerOrder(),
          terms.maxTicketsPerCustomer(),
          Vat.percent(terms.vatRateBasisPoints()),
          Vat.net(terms.priceMinor(), terms.vatRateBasisPoints()),
          terms.hidden());
    }
  }

  /** The event with all its offers, hidden ones too: as its organizer sees it. */
  static EventView of(CatalogEvent event) {
    return of(event, event.offers());
  }

  /** The event with the offers this reader may see (and the seats of those alone). */
  static EventView of(CatalogEvent event, List<Offer> offers) {
    var details = event.details();
    return new EventView(
        event.id(),
        event.organizerId(),
        details.title(),
        details.kind().name().toLowerCase(Locale.ROOT),
        details.venue(),
        details.startsAt().toString(),
        details.endsAt().toString(),
        details.timeZone().getId(),
        details.start().toString(),
        details.end().toString(),
        event.status().name(),
        offers.stream().mapToInt(offer -> offer.terms().seatsOnSale()).sum(),
        offers.stream().map(OfferView::of).toList(),
        details.staticCodes(),
        details.transfers(),
        details.pricesIncludeTax(),
        details.waitingListOfferMinutes(),
        event.seating());
  }
}
