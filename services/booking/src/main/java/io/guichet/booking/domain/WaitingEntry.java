package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;

/**
 * A buyer on a sold-out offer's waiting list, as the allocator keeps it. When seats come back, the
 * allocator holds them for the waiting entries in the order they joined (their {@code sequence})
 * and the entry is OFFERED; paid, CLAIMED; the offer ended unpaid, LAPSED, and the seats go to the
 * next entries.
 *
 * @param quantity tickets wanted
 * @param sequence order of arrival on the event's lists (1 for the first)
 * @param reservation the reservation holding the seats offered, once offered
 */
public record WaitingEntry(
    String id,
    EventId event,
    OfferId offer,
    CustomerId customer,
    int quantity,
    long sequence,
    Status status,
    String reservation) {

  /** Where an entry stands; only WAITING entries get offers, only WAITING and OFFERED are live. */
  public enum Status {
    WAITING,
    OFFERED,
    CLAIMED,
    LAPSED,
    REFUSED;

    public boolean live() {
      return this == WAITING || this == OFFERED;
    }
  }

  public WaitingEntry with(Status next, String offeredReservation) {
    return new WaitingEntry(
        id, event, offer, customer, quantity, sequence, next, offeredReservation);
  }

  public WaitingEntry with(Status next) {
    return with(next, reservation);
  }
}
