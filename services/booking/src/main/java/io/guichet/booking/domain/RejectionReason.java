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
  /** The access code is unknown for this offer, or outside its validity window. */
  INVALID_CODE,
  /** The access code has no use left for these tickets. */
  CODE_USED_UP,
  /** A seat the buyer chose is held or sold already: none of the seats is taken. */
  SEATS_TAKEN,
  /** A seat the buyer chose is not in the event's seat map, or not sold by the offer. */
  UNKNOWN_SEAT,
  /** Payment arrived after the hold ended: the seats are gone, the money must go back. */
  HOLD_EXPIRED
}
