package io.guichet.notification.domain;

/** What an email tells of: one kind per fact that buyers are written about. */
public enum EmailKind {
  SEATS_HELD,
  /** Seats that came back, held for a buyer from the offer's waiting list: pay before the end. */
  WAITING_LIST_OFFER,
  PAYMENT_FAILED,
  TICKET_ISSUED,
  HOLD_EXPIRED,
  EVENT_CANCELLED,
  PAYMENT_REFUNDED,
  /** To the address a ticket was offered to (who may have no account yet): how to accept it. */
  TICKET_TRANSFER_OFFERED,
  /** To the holder whose ticket was accepted by the person they offered it to. */
  TICKET_TRANSFERRED,
  /** The invoice of a confirmed purchase, with the link to its PDF. */
  INVOICE_ISSUED,
  /** The credit note of a refund, with the link to its PDF. */
  CREDIT_NOTE_ISSUED
}
