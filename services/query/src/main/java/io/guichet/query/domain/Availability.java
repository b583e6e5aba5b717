package io.guichet.query.domain;

import java.util.List;

/**
 * An event's seats: for each offer, how many are on sale, held and sold.
 *
 * @param sales NOT_OPEN, OPEN or CLOSED
 */
public record Availability(
    String eventId, String title, String sales, boolean cancelled, List<Offer> offers) {

  public Availability {
    offers = List.copyOf(offers);
  }

  /**
   * @param seatsOnSale the offer's seats in all
   * @param available seats neither held nor sold (never below zero)
   */
  public record Offer(
      String offerId,
      String name,
      String category,
      Long priceMinor,
      String currency,
      Integer seatsPerTicket,
      int seatsOnSale,
      int held,
      int sold,
      int available) {}
}
