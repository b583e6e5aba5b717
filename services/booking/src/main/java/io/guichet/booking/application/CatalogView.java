package io.guichet.booking.application;

import io.guichet.booking.domain.SeatMap.SeatRef;
import java.util.List;
import java.util.Optional;

/** What booking knows of the catalog, from the catalog's events: enough to check a request. */
public interface CatalogView {

  /** Whether the view has read the catalog up to where it stood when booking started. */
  boolean ready();

  /** The offer's limits, if the event and offer were published. */
  Optional<OfferLimits> offer(String eventId, String offerId);

  /** Whether the event was scheduled. */
  boolean knowsEvent(String eventId);

  /**
   * What the event's seat map says of a seat a buyer chose (issue 21): empty when the event is not
   * sold by seat or has no such seat.
   */
  Optional<SeatFacts> seat(String eventId, SeatRef seat);

  /** The seat category the offer sells, if the event is sold by seat and the offer sells one. */
  Optional<String> seatCategory(String eventId, String offerId);

  /**
   * @param category the seat's category
   * @param sellable false for a seat that is never sold
   */
  record SeatFacts(String category, boolean sellable) {}

  /** The event's organizer and seats, if it was scheduled. */
  Optional<EventSeats> event(String eventId);

  /**
   * @param organizerId the organizer's account
   * @param offers each published offer's seats
   * @param cancelled whether the event was cancelled
   */
  record EventSeats(String organizerId, List<OfferSeats> offers, boolean cancelled) {}

  /**
   * @param offerId the offer
   * @param seatsOnSale seats put on sale
   * @param seatsPerTicket seats one ticket takes
   */
  record OfferSeats(String offerId, int seatsOnSale, int seatsPerTicket) {}

  /**
   * @param maxTicketsPerOrder most tickets one request may ask for
   * @param eventCancelled whether the event was cancelled
   * @param hidden whether only a buyer with an access code may reserve it
   */
  record OfferLimits(int maxTicketsPerOrder, boolean eventCancelled, boolean hidden) {}
}
