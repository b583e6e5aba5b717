package io.guichet.booking.waitingroom.adapter.out.r2dbc;

import io.guichet.booking.application.CatalogView;
import io.guichet.booking.waitingroom.domain.Room;
import io.guichet.booking.waitingroom.domain.SeatsLeft;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * What an admission tick needs to know of an event's seats: what the catalog put on sale against
 * what booking's status projection shows held, sold or asked for, and the admitted buyers who have
 * not asked yet.
 */
final class SeatsInPlay {

  /**
   * @param seatsLeft seats still on sale (0 while the catalog has published no offer)
   * @param soldOut whether no offer has seats for one more ticket (never while no offer is known)
   * @param undecided requests the allocator has not answered yet
   */
  record Count(long seatsLeft, boolean soldOut, long undecided) {}

  private final DatabaseClient database;
  private final Function<String, Optional<CatalogView.EventSeats>> catalog;

  SeatsInPlay(DatabaseClient database, Function<String, Optional<CatalogView.EventSeats>> catalog) {
    this.database = database;
    this.catalog = catalog;
  }

  Mono<Count> of(String eventId) {
    return database
        .sql(
            "SELECT offer_id,"
                + " coalesce(sum(seats) FILTER (WHERE status IN ('HELD', 'CONFIRMED')), 0) AS taken,"
                + " count(*) FILTER (WHERE status = 'REQUESTED') AS undecided"
                + " FROM reservation_status WHERE event_id = $1"
                // The partial index's condition: a burst's rejections are not read four times a
                // second.
                + " AND status IN ('REQUESTED', 'HELD', 'CONFIRMED') GROUP BY offer_id")
        .bind(0, eventId)
        .map(
            row ->
                Map.entry(
                    String.valueOf(row.get("offer_id", String.class)),
                    new long[] {row.get("taken", Long.class), row.get("undecided", Long.class)}))
        .all()
        .collectList()
        .map(
            rows -> {
              Map<String, Long> taken = new HashMap<>();
              long undecided = 0;
              for (var row : rows) {
                taken.put(row.getKey(), row.getValue()[0]);
                undecided += row.getValue()[1];
              }
              SeatsLeft left = seatsLeft(eventId, taken);
              return left == null
                  ? new Count(0, false, undecided)
                  : new Count(left.seats(), left.soldOut(), undecided);
            });
  }

  /** Null while the catalog has published no offer for the event. */
  private SeatsLeft seatsLeft(String eventId, Map<String, Long> taken) {
    Optional<CatalogView.EventSeats> event = catalog.apply(eventId);
    if (event.isEmpty() || event.get().offers().isEmpty()) {
      return null;
    }
    return SeatsLeft.of(
        event.get().offers().stream()
            .map(
                offer ->
                    new SeatsLeft.Offer(
                        offer.seatsOnSale(),
                        offer.seatsPerTicket(),
                        taken.getOrDefault(offer.offerId(), 0L)))
            .toList());
  }

  /** Admitted buyers whose pass is still valid and who have not asked to reserve yet. */
  Mono<Long> admittedNotYetAsking(Room room, Instant now) {
    return database
        .sql(
            "SELECT count(*) AS n FROM room_admissions a JOIN queue_places q"
                + " ON q.event_id = a.event_id AND q.position BETWEEN a.from_position AND a.to_position"
                + " WHERE a.event_id = $1 AND a.admitted_at > $2 AND NOT EXISTS (SELECT 1"
                + " FROM reservation_status r WHERE r.event_id = $1 AND r.customer_id = q.customer_id)")
        .bind(0, room.eventId())
        .bind(
            1, OffsetDateTime.ofInstant(now.minus(room.settings().passLifetime()), ZoneOffset.UTC))
        .map(row -> row.get("n", Long.class))
        .one();
  }
}
