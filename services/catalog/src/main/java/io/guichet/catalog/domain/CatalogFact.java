package io.guichet.catalog.domain;

import java.time.Instant;

/** What the catalog tells the rest of Guichet, as its own types. */
public interface CatalogFact {

  /** The event the fact is about: every fact of an event travels in its order. */
  String eventId();

  /** The event was scheduled, or its description changed: it carries the whole description. */
  record Scheduled(String eventId, String organizerId, EventDetails details)
      implements CatalogFact {}

  /** An offer was published (or changed before sales opened). */
  record OfferPublished(String eventId, Offer offer) implements CatalogFact {}

  /** Sales opened, until {@code closesAt} if planned (null otherwise). */
  record SalesOpened(String eventId, Instant closesAt) implements CatalogFact {}

  record SalesClosed(String eventId) implements CatalogFact {}

  record Cancelled(String eventId, String reason) implements CatalogFact {}

  /** The event was seated on a layout: the fact carries every seat. */
  record SeatingAssigned(String eventId, Seating seating, SeatLayout layout)
      implements CatalogFact {}

  /** An access code was created; the fact carries its digest, never the code. */
  record AccessCodeCreated(String eventId, AccessCode code) implements CatalogFact {}
}
