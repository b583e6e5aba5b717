package io.guichet.query.domain;

import java.time.Instant;
import java.util.List;

/**
 * An organizer's view of an event's sales and entrance.
 *
 * @param noShows issued tickets never scanned; null until the event has ended
 * @param duplicatesOffline double entries: tickets let in by an offline scanner although already
 *     used (each listed by {@code /views/events/{id}/offline-duplicates})
 */
public record SalesStatistics(
    String eventId,
    String title,
    Instant endsAt,
    List<OfferSales> offers,
    List<GateScans> gates,
    long ticketsIssued,
    long ticketsScanned,
    Long noShows,
    long duplicatesOffline) {

  public SalesStatistics {
    offers = List.copyOf(offers);
    gates = List.copyOf(gates);
  }

  /**
   * One offer's sales: revenue is what confirmations brought, refunds are counted apart.
   *
   * @param netOfTaxMinor revenue without VAT, from the invoices less the credit notes (payment's
   *     InvoiceIssued): what the organizer keeps of what is not refunded
   * @param taxMinor the VAT of those invoices less that of the credit notes
   */
  public record OfferSales(
      String offerId,
      String name,
      String currency,
      int ticketsSold,
      int seatsSold,
      int seatsHeld,
      long revenueMinor,
      long refundedMinor,
      long netOfTaxMinor,
      long taxMinor) {}

  /**
   * Scans at one gate.
   *
   * @param duplicatesOffline of the rejected, those its offline scanners had let in (double
   *     entries)
   */
  public record GateScans(String gate, int accepted, int rejected, int duplicatesOffline) {}
}
