package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The allocator's state, kept per key so that a hot event does not rewrite one large value per
 * request (in memory with a changelog topic in production; a map in tests). Only the allocator of
 * the event's partition writes it, so it needs no locking.
 */
public interface AllocationState {

  Optional<EventStock> event(EventId id);

  void put(EventStock stock);

  Optional<Reservation> reservation(ReservationId id);

  void put(Reservation reservation);

  /** Tickets a customer holds or has bought from an offer. */
  int ticketsOf(EventId event, OfferId offer, CustomerId customer);

  void putTicketsOf(EventId event, OfferId offer, CustomerId customer, int tickets);

  /** Held reservations whose hold has ended at this instant, oldest first. */
  List<Reservation> holdsEndedBy(Instant now);

  /** An event's access code by the digest requests carry. */
  Optional<AccessCode> code(EventId event, String digest);

  /** An event's access code by its id. */
  Optional<AccessCode> codeById(EventId event, String id);

  void put(AccessCode code);

  /** A waiting-list entry by its id. */
  Optional<WaitingEntry> entry(String id);

  /** The customer's live (waiting or offered) entry on the offer's list, if any. */
  Optional<WaitingEntry> liveEntry(EventId event, OfferId offer, CustomerId customer);

  /** The offer's waiting entries (not offered yet), first joined first. */
  List<WaitingEntry> waiting(EventId event, OfferId offer);

  void put(WaitingEntry entry);

  /** Held reservations of an event. */
  List<Reservation> holdsOf(EventId event);

  /** Reservations of the event that hold or bought seats. */
  List<Reservation> takingSeats(EventId event);

  /** The event's seating, if it is sold by seat. */
  Optional<Seating> seating(EventId event);

  /** Seats the event, or seats it again on another layout version. */
  void put(Seating seating);
}
