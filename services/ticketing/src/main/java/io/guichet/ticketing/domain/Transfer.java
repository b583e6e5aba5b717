package io.guichet.ticketing.domain;

import java.time.Instant;

/**
 * A ticket its holder offered to the person with an email address.
 *
 * @param toEmail the recipient's address, lower-cased: whoever accepts must be logged in under it
 * @param toCustomer the account that accepted it, once accepted
 * @param newTicketId the ticket issued to them, once accepted
 * @param decidedAt when it was accepted or cancelled
 */
public record Transfer(
    String transferId,
    String ticketId,
    String eventId,
    String fromCustomer,
    String toEmail,
    Status status,
    String toCustomer,
    String newTicketId,
    Instant offeredAt,
    Instant decidedAt) {

  public enum Status {
    /** Waiting for the recipient; the ticket is still its holder's. */
    OFFERED,
    /** The recipient accepted: the ticket was revoked and a new one issued to them. */
    ACCEPTED,
    /** The holder took the offer back. */
    CANCELLED
  }
}
