package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import java.time.Duration;
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
 * @param listHold how long seats offered from a waiting list are held, or null for the allocator's
 *     default
 * @param listJoins entries that joined the event's waiting lists so far (their sequence)
 */
public record EventStock(
    EventId id,
    SalesWindow sales,
    boolean cancelled,
    Map<OfferId, OfferStock> offers,
    Duration listHold,
    long listJoins) {

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

  public EventStock(
      EventId id, SalesWindow sales, boolean cancelled, Map<OfferId, OfferStock> offers) {
    this(id, sales, cancelled, offers, null, 0);
  }

  /** A newly scheduled event: no offer, sales not open. */
  public static EventStock scheduled(EventId id) {
    return new EventStock(id, SalesWindow.NOT_OPEN, false, Map.of());
  }

  /** The hold of seats offered from its waiting lists. */
  public EventStock withListHold(Duration hold) {
    return new EventStock(id, sales, cancelled, offers, hold, listJoins);
  }

  /** One more entry joined a list of the event. */
  public EventStock withListJoin() {
    return new EventStock(id, sales, cancelled, offers, listHold, listJoins + 1);
  }

  public Optional<OfferStock> offer(OfferId offer) {
    return Optional.ofNullable(offers.get(offer));
  }

  /** Publishes an offer or changes its terms; seats already taken stay taken. */
  public EventStock withOffer(Offer offer) {
    Map<OfferId, OfferStock> changed = new HashMap<>(offers);
    int taken = offer(offer.id()).map(OfferStock::seatsTaken).orElse(0);
    changed.put(offer.id(), new OfferStock(offer, taken));
    return new EventStock(id, sales, cancelled, changed, listHold, listJoins);
  }

  /** Takes (positive) or gives back (negative) seats of an offer. */
  public EventStock withSeatsTaken(OfferId offer, int delta) {
    OfferStock stock =
        offer(offer).orElseThrow(() -> new IllegalStateException("unknown offer " + offer));
    Map<OfferId, OfferStock> changed = new HashMap<>(offers);
    changed.put(offer, new OfferStock(stock.offer(), Math.max(0, stock.seatsTaken() + delta)));
    return new EventStock(id, sales, cancelled, changed, listHold, listJoins);
  }

  public EventStock withSales(SalesWindow window) {
    return new EventStock(id, window, cancelled, offers, listHold, listJoins);
  }

  public EventStock asCancelled() {
    return new EventStock(id, SalesWindow.CLOSED, true, offers, listHold, listJoins);
  }
}
