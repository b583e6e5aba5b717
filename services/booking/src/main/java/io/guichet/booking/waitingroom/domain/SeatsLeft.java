package io.guichet.booking.waitingroom.domain;

import java.util.List;

/**
 * An event's seats still on sale, as the room sees them: what the catalog put on sale minus what is
 * held or sold. The event is sold out when no offer has enough seats left for one ticket.
 *
 * @param seats seats left over every offer
 * @param soldOut whether not one more ticket can be sold
 */
public record SeatsLeft(long seats, boolean soldOut) {

  /**
   * @param onSale seats the offer put on sale
   * @param perTicket seats one of its tickets takes
   * @param taken seats held or sold
   */
  public record Offer(int onSale, int perTicket, long taken) {}

  public static SeatsLeft of(List<Offer> offers) {
    long seats = 0;
    boolean oneMoreTicket = false;
    for (Offer offer : offers) {
      long left = Math.max(0, offer.onSale() - offer.taken());
      seats += left;
      oneMoreTicket |= left >= Math.max(1, offer.perTicket());
    }
    return new SeatsLeft(seats, !offers.isEmpty() && !oneMoreTicket);
  }
}
