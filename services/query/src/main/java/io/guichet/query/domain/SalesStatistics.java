package io.guichet.query.domain;

import java.time.Instant;
import java.util.List;

/**
 * An organizer's view of an event's sales and entrance.
 *
 * @param noShows issued tickets never scanned; null until the event has ended
 * @param duplicatesOffline double entries: tickets let in by an offline scanner although already
 *     used (each listed by {@code /views/events/{id}/offline-duplicates})
 * @param codes the uses of each access code that was used (its id: the catalog lists the codes)
 * @param waitingLists each offer's waiting list, when it has one: the demand beyond its seats
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
    long duplicatesOffline,
    List<CodeUses> codes,
    List<WaitingList> waitingLists) {

  public SalesStatistics {
    offers = List.copyOf(offers);
    gates = List.copyOf(gates);
    codes = List.copyOf(codes);
    waitingLists = List.copyOf(waitingLists);
  }

  /**
   * One offer's waiting list: buyers waiting now and the tickets they want, offers out, claimed
   * (paid) and lapsed (unpaid).
   */
  public record WaitingList(
      String offerId, long waiting, long ticketsWanted, long offered, long claimed, long lapsed) {}

  /**
   * One access code's uses: tickets held with it now, and sold with it (a hold that ended gave its
   * tickets back to the code).
   */
  public record CodeUses(String codeId, long ticketsHeld, long ticketsSold) {}

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
