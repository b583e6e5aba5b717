package io.guichet.notification.domain;

/** What an email tells of: one kind per fact that buyers are written about. */
public enum EmailKind {
  SEATS_HELD,
  PAYMENT_FAILED,
  TICKET_ISSUED,
  HOLD_EXPIRED,
  EVENT_CANCELLED,
  PAYMENT_REFUNDED
}
