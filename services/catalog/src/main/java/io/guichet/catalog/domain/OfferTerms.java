package io.guichet.catalog.domain;

import java.util.Set;

/**
 * What an offer sells and on what terms.
 *
 * @param priceMinor price of one ticket in minor units of the currency
 * @param currency ISO 4217 code
 * @param seatsPerTicket solo 1, duo 2, family 4
 * @param seatsOnSale seats put on sale, a whole number of tickets
 * @param maxTicketsPerOrder most tickets one reservation may ask for
 * @param maxTicketsPerCustomer most tickets one customer may hold across reservations
 * @param vatRateBasisPoints the VAT rate included in the price, in hundredths of a percent (2000:
 *     20 %); 0 for none
 * @param hidden whether the offer is shown and sold only to buyers with an access code for it
 */
public record OfferTerms(
    String name,
    String category,
    long priceMinor,
    String currency,
    int seatsPerTicket,
    int seatsOnSale,
    int maxTicketsPerOrder,
    int maxTicketsPerCustomer,
    int vatRateBasisPoints,
    boolean hidden) {

  /** Solo, duo and family tickets. */
  public static final Set<Integer> SEATS_PER_TICKET = Set.of(1, 2, 4);
}
