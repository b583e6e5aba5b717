package io.guichet.catalog.domain;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * What an organizer says of an event. Times are the venue's wall-clock times in its time zone, as
 * organizers and buyers read them; the instants are derived.
 *
 * @param staticCodes whether its tickets may also be shown as a static code (printed tickets);
 *     otherwise only as the rotating code that changes every 15 seconds (screenshots stop working)
 * @param transfers whether a holder may transfer a ticket to another account
 * @param pricesIncludeTax whether prices are shown to buyers with tax (consumers) or without
 *     (businesses); a price is always what the buyer pays
 * @param waitingListOfferMinutes how long seats that came back are held for the next buyer on an
 *     offer's waiting list
 */
public record EventDetails(
    String title,
    EventKind kind,
    Venue venue,
    LocalDateTime startsAt,
    LocalDateTime endsAt,
    ZoneId timeZone,
    boolean staticCodes,
    boolean transfers,
    boolean pricesIncludeTax,
    int waitingListOfferMinutes) {

  /** Seats offered from a waiting list are held 12 hours unless the organizer says otherwise. */
  public static final int DEFAULT_WAITING_LIST_OFFER_MINUTES = 12 * 60;

  public Instant start() {
    return startsAt.atZone(timeZone).toInstant();
  }

  public Instant end() {
    return endsAt.atZone(timeZone).toInstant();
  }
}
