package io.guichet.query.application;

import io.guichet.query.domain.Availability;
import io.guichet.query.domain.EventSummary;
import io.guichet.query.domain.HourlySales;
import io.guichet.query.domain.OfflineDuplicate;
import io.guichet.query.domain.ReservationStatus;
import io.guichet.query.domain.ReservationStep;
import io.guichet.query.domain.ReservationView;
import io.guichet.query.domain.SalesStatistics;
import io.guichet.query.domain.SeatStatuses;
import io.guichet.query.domain.TicketView;
import io.guichet.query.domain.WaitingListEntryView;
import io.guichet.web.PageRequest;
import io.guichet.web.PageRequest.Page;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What the read models answer. */
public interface ReadModels {

  /** A customer's reservations, newest first; status and event narrow them when not null. */
  Mono<Page<ReservationView>> reservationsOf(
      String customerId, ReservationStatus status, String eventId, PageRequest page);

  Mono<ReservationView> reservation(String reservationId);

  /** A customer's waiting-list entries, newest first. */
  Mono<Page<WaitingListEntryView>> waitingListsOf(String customerId, PageRequest page);

  Mono<WaitingListEntryView> waitingListEntry(String entryId);

  /** The statuses the reservation went through, in order. */
  Flux<ReservationStep> steps(String reservationId);

  /** A customer's tickets, newest first; status and event narrow them when not null. */
  Mono<Page<TicketView>> ticketsOf(
      String customerId, String status, String eventId, PageRequest page);

  Mono<EventSummary> event(String eventId);

  /** Empty when nothing is known of the event. */
  Mono<Availability> availability(String eventId);

  /** The event's seats held or sold, with the cursor of its changes; empty for an unknown event. */
  Mono<SeatStatuses> takenSeats(String eventId);

  /** The event's seats that changed after the cursor, oldest change first (at most a page). */
  Mono<SeatStatuses> seatChanges(String eventId, long after);

  /** The event's sales and scans; no-shows are counted once {@code now} is past its end. */
  Mono<SalesStatistics> statistics(String eventId, Instant now);

  /** Sales per hour and offer, oldest hour first; offer narrows them when not null. */
  Mono<Page<HourlySales>> hourlySales(String eventId, String offerId, PageRequest page);

  /** The event's double entries found by offline scanners' syncs, oldest scan first. */
  Mono<Page<OfflineDuplicate>> offlineDuplicates(String eventId, PageRequest page);

  /** The ids of reservations whose view changed, as they commit. */
  Flux<String> reservationChanges(String reservationId);

  /** The ids of events whose availability changed, as they commit. */
  Flux<String> availabilityChanges(String eventId);
}
