package io.guichet.booking.domain;

/** Why the allocator refused a reservation or a late payment. */
public enum RejectionReason {
  SOLD_OUT,
  SALES_NOT_OPEN,
  SALES_CLOSED,
  LIMIT_EXCEEDED,
  UNKNOWN_EVENT,
  UNKNOWN_OFFER,
  EVENT_CANCELLED,
  /** Payment arrived after the hold ended: the seats are gone, the money must go back. */
  HOLD_EXPIRED
}
