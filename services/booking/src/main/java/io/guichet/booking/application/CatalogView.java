package io.guichet.booking.application;

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
   * @param maxTicketsPerOrder most tickets one request may ask for
   * @param eventCancelled whether the event was cancelled
   */
  record OfferLimits(int maxTicketsPerOrder, boolean eventCancelled) {}
}
