package io.guichet.catalog.domain;

/** Where an event's sales window stands. */
public enum SalesStatus {
  /** Scheduled, sales not opened yet. */
  SCHEDULED,
  ON_SALE,
  SALES_CLOSED,
  CANCELLED
}
