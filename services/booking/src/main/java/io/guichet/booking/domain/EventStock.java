package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the allocator knows of one event: whether it sells, and for each offer its terms and the
 * seats taken (held or sold). Immutable: every change returns a new stock.
 *
 * @param id the event
 * @param sales the sales window
 * @param cancelled whether the event was cancelled
 * @param offers terms and seats taken, by offer
 */
public record EventStock(
    EventId id, SalesWindow sales, boolean cancelled, Map<OfferId, OfferStock> offers) {

  /** Where an event's sales window stands. */
  public enum SalesWindow {
    NOT_OPEN,
    OPEN,
    CLOSED
  }

  /**
   * An offer's terms and the seats taken from it.
   *
   * @param offer the terms
   * @param seatsTaken seats held or sold
   */
  public record OfferStock(Offer offer, int seatsTaken) {

    /** Seats still on sale (never below zero, even when the organizer lowered the number). */
    public int seatsLeft() {
      return Math.max(0, offer.seatsOnSale() - seatsTaken);
    }
  }

  public EventStock {
    offers = Map.copyOf(offers);
  }

  /** A newly scheduled event: no offer, sales not open. */
  public static EventStock scheduled(EventId id) {
    return new EventStock(id, SalesWindow.NOT_OPEN, false, Map.of());
  }

  public Optional<OfferStock> offer(OfferId offer) {
    return Optional.ofNullable(offers.get(offer));
  }

  /** Publishes an offer or changes its terms; seats already taken stay taken. */
  public EventStock withOffer(Offer offer) {
    Map<OfferId, OfferStock> changed = new HashMap<>(offers);
    int taken = offer(offer.id()).map(OfferStock::seatsTaken).orElse(0);
    changed.put(offer.id(), new OfferStock(offer, taken));
    return new EventStock(id, sales, cancelled, changed);
  }

  /** Takes (positive) or gives back (negative) seats of an offer. */
  public EventStock withSeatsTaken(OfferId offer, int delta) {
    OfferStock stock =
        offer(offer).orElseThrow(() -> new IllegalStateException("unknown offer " + offer));
    Map<OfferId, OfferStock> changed = new HashMap<>(offers);
    changed.put(offer, new OfferStock(stock.offer(), Math.max(0, stock.seatsTaken() + delta)));
    return new EventStock(id, sales, cancelled, changed);
  }

  public EventStock withSales(SalesWindow window) {
    return new EventStock(id, window, cancelled, offers);
  }

  public EventStock asCancelled() {
    return new EventStock(id, SalesWindow.CLOSED, true, offers);
  }
}
