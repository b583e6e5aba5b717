package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.OfferId;

/**
 * The terms of an offer, as the catalog published them.
 *
 * @param id the offer
 * @param price price of one ticket
 * @param seatsPerTicket seats one ticket takes: solo 1, duo 2, family 4
 * @param seatsOnSale seats put on sale
 * @param maxTicketsPerOrder most tickets one reservation may ask for
 * @param maxTicketsPerCustomer most tickets one customer may hold or have bought
 * @param hidden whether only a request with an access code that unlocks it may reserve it
 */
public record Offer(
    OfferId id,
    Money price,
    int seatsPerTicket,
    int seatsOnSale,
    int maxTicketsPerOrder,
    int maxTicketsPerCustomer,
    boolean hidden) {

  /** An offer anyone may reserve. */
  public Offer(
      OfferId id,
      Money price,
      int seatsPerTicket,
      int seatsOnSale,
      int maxTicketsPerOrder,
      int maxTicketsPerCustomer) {
    this(id, price, seatsPerTicket, seatsOnSale, maxTicketsPerOrder, maxTicketsPerCustomer, false);
  }

  public Offer {
    if (seatsPerTicket < 1
        || seatsOnSale < 0
        || maxTicketsPerOrder < 1
        || maxTicketsPerCustomer < 1) {
      throw new IllegalArgumentException("offer " + id + " has impossible terms");
    }
  }
}
