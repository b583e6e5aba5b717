package io.guichet.catalog.adapter.in.web;

import io.guichet.catalog.domain.CatalogEvent;
import io.guichet.catalog.domain.Offer;
import io.guichet.catalog.domain.Venue;
import io.guichet.platform.money.Vat;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * An event as the API shows it: wall-clock times in the venue's zone, with the UTC instants.
 *
 * @param staticCodes whether its tickets may also be shown as a static code (printed tickets)
 * @param transfers whether a holder may transfer a ticket to another account
 * @param pricesIncludeTax whether its prices are shown with tax (consumers) or without
 *     (businesses); each offer gives both: its {@code priceMinor} (paid, tax included) and {@code
 *     priceExcludingTaxMinor}
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
    boolean pricesIncludeTax) {

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
      long priceExcludingTaxMinor) {

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
          Vat.net(terms.priceMinor(), terms.vatRateBasisPoints()));
    }
  }

  static EventView of(CatalogEvent event) {
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
        event.seatsOffered(),
        event.offers().stream().map(OfferView::of).toList(),
        details.staticCodes(),
        details.transfers(),
        details.pricesIncludeTax());
  }
}
