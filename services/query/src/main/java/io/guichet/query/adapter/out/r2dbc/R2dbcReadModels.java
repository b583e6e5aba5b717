package io.guichet.query.adapter.out.r2dbc;

import io.guichet.outbox.ChangeNotifications;
import io.guichet.query.application.ReadModels;
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
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The read models' queries, on the serving schema. */
public final class R2dbcReadModels implements ReadModels {

  private static final String S = ReadModelSchema.SERVING;

  private final DatabaseClient database;
  private final ChangeNotifications reservationChanges;
  private final ChangeNotifications availabilityChanges;

  public R2dbcReadModels(
      DatabaseClient database,
      ChangeNotifications reservationChanges,
      ChangeNotifications availabilityChanges) {
    this.database = database;
    this.reservationChanges = reservationChanges;
    this.availabilityChanges = availabilityChanges;
  }

  /** A WHERE clause of conditions with numbered parameters, and its values. */
  private static final class Where {
    final List<String> conditions = new ArrayList<>();
    final List<Object> values = new ArrayList<>();

    Where and(String condition, Object value) {
      values.add(value);
      conditions.add(condition.replace("?", "$" + values.size()));
      return this;
    }

    String sql() {
      return " WHERE " + String.join(" AND ", conditions);
    }

    GenericExecuteSpec bind(GenericExecuteSpec spec) {
      for (int i = 0; i < values.size(); i++) {
        spec = spec.bind(i, values.get(i));
      }
      return spec;
    }

    String limit(PageRequest page) {
      return " LIMIT " + page.size() + " OFFSET " + ((long) page.page() * page.size());
    }
  }

  private <T> Mono<Page<T>> page(
      String table,
      Where where,
      String order,
      PageRequest page,
      java.util.function.Function<Readable, T> mapper) {
    Mono<Long> total =
        where
            .bind(database.sql("SELECT count(*) AS n FROM " + S + "." + table + where.sql()))
            .map(row -> row.get("n", Long.class))
            .one();
    Mono<List<T>> items =
        where
            .bind(
                database.sql(
                    "SELECT * FROM " + S + "." + table + where.sql() + order + where.limit(page)))
            .map(mapper)
            .all()
            .collectList();
    return Mono.zip(items, total).map(both -> page.of(both.getT1(), both.getT2()));
  }

  @Override
  public Mono<Page<ReservationView>> reservationsOf(
      String customerId, ReservationStatus status, String eventId, PageRequest page) {
    Where where = new Where().and("customer_id = ?", customerId);
    if (status != null) {
      where.and("status = ?", status.name());
    }
    if (eventId != null) {
      where.and("event_id = ?", eventId);
    }
    return page(
        "reservations",
        where,
        " ORDER BY created_at DESC, reservation_id",
        page,
        R2dbcReadModels::reservationOf);
  }

  @Override
  public Mono<Page<WaitingListEntryView>> waitingListsOf(String customerId, PageRequest page) {
    return page(
        "waiting_list_places",
        new Where().and("customer_id = ?", customerId),
        " ORDER BY created_at DESC, entry_id",
        page,
        R2dbcReadModels::entryOf);
  }

  @Override
  public Mono<WaitingListEntryView> waitingListEntry(String entryId) {
    return database
        .sql("SELECT * FROM " + S + ".waiting_list_places WHERE entry_id = $1")
        .bind(0, entryId)
        .map(R2dbcReadModels::entryOf)
        .one();
  }

  private static WaitingListEntryView entryOf(Readable row) {
    return new WaitingListEntryView(
        row.get("entry_id", String.class),
        row.get("customer_id", String.class),
        row.get("event_id", String.class),
        row.get("offer_id", String.class),
        row.get("quantity", Integer.class),
        row.get("status", String.class),
        row.get("place", Long.class),
        row.get("reservation_id", String.class),
        row.get("offer_expires_at", Instant.class),
        row.get("detail", String.class),
        row.get("created_at", Instant.class),
        row.get("updated_at", Instant.class));
  }

  @Override
  public Mono<ReservationView> reservation(String reservationId) {
    return database
        .sql("SELECT * FROM " + S + ".reservations WHERE reservation_id = $1")
        .bind(0, reservationId)
        .map(R2dbcReadModels::reservationOf)
        .one();
  }

  @Override
  public Flux<ReservationStep> steps(String reservationId) {
    return database
        .sql(
            "SELECT status, occurred_at FROM "
                + S
                + ".reservation_steps WHERE reservation_id = $1 ORDER BY status_rank, occurred_at")
        .bind(0, reservationId)
        .map(
            row ->
                new ReservationStep(
                    ReservationStatus.valueOf(row.get("status", String.class)),
                    row.get("occurred_at", Instant.class)))
        .all();
  }

  private static ReservationView reservationOf(Readable row) {
    return new ReservationView(
        row.get("reservation_id", String.class),
        row.get("customer_id", String.class),
        row.get("event_id", String.class),
        row.get("offer_id", String.class),
        ReservationStatus.valueOf(row.get("status", String.class)),
        row.get("quantity", Integer.class),
        row.get("seats", Integer.class),
        row.get("amount_minor", Long.class),
        row.get("currency", String.class),
        row.get("expires_at", Instant.class),
        row.get("payment", String.class),
        row.get("reason", String.class),
        row.get("refunded_minor", Long.class),
        row.get("created_at", Instant.class),
        row.get("updated_at", Instant.class),
        row.get("version", Integer.class),
        row.get("access_code_id", String.class),
        SeatsJson.read(row.get("assigned_seats", String.class)));
  }

  @Override
  public Mono<Page<TicketView>> ticketsOf(
      String customerId, String status, String eventId, PageRequest page) {
    Where where = new Where().and("customer_id = ?", customerId);
    if (status != null) {
      where.and("status = ?", status);
    }
    if (eventId != null) {
      where.and("event_id = ?", eventId);
    }
    return page(
        "tickets",
        where,
        " ORDER BY issued_at DESC, ticket_id",
        page,
        row ->
            new TicketView(
                row.get("ticket_id", String.class),
                row.get("reservation_id", String.class),
                row.get("customer_id", String.class),
                row.get("event_id", String.class),
                row.get("offer_id", String.class),
                row.get("seat_index", Integer.class),
                row.get("status", String.class),
                row.get("revocation_reason", String.class),
                row.get("issued_at", Instant.class),
                row.get("revoked_at", Instant.class),
                row.get("scanned_at", Instant.class),
                row.get("scanned_gate", String.class)));
  }

  @Override
  public Mono<EventSummary> event(String eventId) {
    return database
        .sql(
            "SELECT event_id, organizer_id, title, ends_at FROM "
                + S
                + ".events WHERE event_id = $1")
        .bind(0, eventId)
        .map(
            row ->
                new EventSummary(
                    row.get("event_id", String.class),
                    row.get("organizer_id", String.class),
                    row.get("title", String.class),
                    row.get("ends_at", Instant.class)))
        .one();
  }

  /** The most reservations one answer of a seat map's live view covers; the next ones follow. */
  private static final int SEAT_CHANGES_PAGE = 2_000;

  @Override
  public Mono<SeatStatuses> takenSeats(String eventId) {
    return database
        .sql("SELECT 1 FROM " + S + ".events WHERE event_id = $1")
        .bind(0, eventId)
        .map(row -> eventId)
        .one()
        .flatMap(
            known ->
                database
                    .sql(
                        "SELECT allocation, seats, changed_seq FROM "
                            + S
                            + ".seat_allocations WHERE event_id = $1 AND seats IS NOT NULL"
                            + " ORDER BY changed_seq")
                    .bind(0, eventId)
                    .map(R2dbcReadModels::seatChange)
                    .all()
                    .collectList()
                    .map(rows -> seatStatuses(eventId, 0, rows, true)));
  }

  @Override
  public Mono<SeatStatuses> seatChanges(String eventId, long after) {
    return database
        .sql(
            "SELECT allocation, seats, changed_seq FROM "
                + S
                + ".seat_allocations WHERE event_id = $1 AND seats IS NOT NULL"
                + " AND changed_seq > $2 ORDER BY changed_seq LIMIT "
                + SEAT_CHANGES_PAGE)
        .bind(0, eventId)
        .bind(1, after)
        .map(R2dbcReadModels::seatChange)
        .all()
        .collectList()
        .map(rows -> seatStatuses(eventId, after, rows, false));
  }

  /** A reservation's seats as they changed last: each with its status then. */
  private record SeatChange(List<SeatStatuses.SeatState> seats, long changedSeq) {}

  private static SeatChange seatChange(Readable row) {
    String status =
        switch (row.get("allocation", String.class)) {
          case "HELD" -> "HELD";
          case "CONFIRMED" -> "SOLD";
          default -> "FREE";
        };
    List<SeatStatuses.SeatState> seats =
        SeatsJson.read(row.get("seats", String.class)).stream()
            .map(
                seat -> new SeatStatuses.SeatState(seat.section(), seat.row(), seat.seat(), status))
            .toList();
    return new SeatChange(seats, row.get("changed_seq", Long.class));
  }

  /**
   * The changes in order, as seen from {@code after}: a snapshot keeps the seats held or sold (a
   * seat freed by one reservation and held by another comes once, held).
   */
  private static SeatStatuses seatStatuses(
      String eventId, long after, List<SeatChange> rows, boolean takenOnly) {
    long cursor = after;
    List<SeatStatuses.SeatState> seats = new ArrayList<>();
    for (SeatChange row : rows) {
      cursor = Math.max(cursor, row.changedSeq());
      for (SeatStatuses.SeatState seat : row.seats()) {
        if (!takenOnly || !seat.status().equals("FREE")) {
          seats.add(seat);
        }
      }
    }
    return new SeatStatuses(eventId, cursor, seats);
  }

  @Override
  public Mono<Availability> availability(String eventId) {
    Mono<List<Availability.Offer>> offers =
        database
            .sql(
                "SELECT * FROM "
                    + S
                    + ".offers WHERE event_id = $1 AND NOT hidden"
                    + " ORDER BY price_minor DESC NULLS LAST,"
                    + " offer_id")
            .bind(0, eventId)
            .map(
                row -> {
                  int onSale = row.get("seats_on_sale", Integer.class);
                  int held = row.get("seats_held", Integer.class);
                  int sold = row.get("seats_sold", Integer.class);
                  return new Availability.Offer(
                      row.get("offer_id", String.class),
                      row.get("name", String.class),
                      row.get("category", String.class),
                      row.get("price_minor", Long.class),
                      row.get("currency", String.class),
                      row.get("seats_per_ticket", Integer.class),
                      onSale,
                      held,
                      sold,
                      Math.max(0, onSale - held - sold));
                })
            .all()
            .collectList();
    return database
        .sql("SELECT title, sales, cancelled FROM " + S + ".events WHERE event_id = $1")
        .bind(0, eventId)
        .map(
            row ->
                new Availability(
                    eventId,
                    row.get("title", String.class),
                    row.get("sales", String.class),
                    Boolean.TRUE.equals(row.get("cancelled", Boolean.class)),
                    List.of()))
        .one()
        .zipWith(
            offers,
            (event, found) ->
                new Availability(eventId, event.title(), event.sales(), event.cancelled(), found));
  }

  @Override
  public Mono<SalesStatistics> statistics(String eventId, Instant now) {
    Mono<List<SalesStatistics.OfferSales>> offers =
        database
            .sql(
                "SELECT offer_id, o.name, o.currency,"
                    + " COALESCE(s.tickets_sold, 0) AS tickets_sold,"
                    + " COALESCE(o.seats_sold, 0) AS seats_sold,"
                    + " COALESCE(o.seats_held, 0) AS seats_held,"
                    + " COALESCE(s.revenue_minor, 0) AS revenue_minor,"
                    + " COALESCE(s.refunded_minor, 0) AS refunded_minor,"
                    + " COALESCE(s.invoiced_net_minor, 0) AS invoiced_net_minor,"
                    + " COALESCE(s.invoiced_tax_minor, 0) AS invoiced_tax_minor FROM "
                    + S
                    + ".offers o FULL JOIN "
                    + S
                    + ".offer_sales s USING (event_id, offer_id) WHERE event_id = $1"
                    + " ORDER BY offer_id")
            .bind(0, eventId)
            .map(
                row ->
                    new SalesStatistics.OfferSales(
                        row.get("offer_id", String.class),
                        row.get("name", String.class),
                        row.get("currency", String.class),
                        row.get("tickets_sold", Integer.class),
                        row.get("seats_sold", Integer.class),
                        row.get("seats_held", Integer.class),
                        row.get("revenue_minor", Long.class),
                        row.get("refunded_minor", Long.class),
                        row.get("invoiced_net_minor", Long.class),
                        row.get("invoiced_tax_minor", Long.class)))
            .all()
            .collectList();
    Mono<List<SalesStatistics.GateScans>> gates =
        database
            .sql("SELECT * FROM " + S + ".scans_by_gate WHERE event_id = $1 ORDER BY gate")
            .bind(0, eventId)
            .map(
                row ->
                    new SalesStatistics.GateScans(
                        row.get("gate", String.class),
                        row.get("accepted", Integer.class),
                        row.get("rejected", Integer.class),
                        row.get("duplicates_offline", Integer.class)))
            .all()
            .collectList();
    Mono<List<SalesStatistics.CodeUses>> codes =
        database
            .sql(
                "SELECT access_code_id,"
                    + " COALESCE(sum(quantity) FILTER (WHERE status = 'HELD'), 0) AS held,"
                    + " COALESCE(sum(quantity) FILTER (WHERE status = 'CONFIRMED'), 0) AS sold"
                    + " FROM "
                    + S
                    + ".reservations WHERE event_id = $1 AND access_code_id IS NOT NULL"
                    + " GROUP BY access_code_id ORDER BY access_code_id")
            .bind(0, eventId)
            .map(
                row ->
                    new SalesStatistics.CodeUses(
                        row.get("access_code_id", String.class),
                        row.get("held", Long.class),
                        row.get("sold", Long.class)))
            .all()
            .collectList();
    Mono<List<SalesStatistics.WaitingList>> lists =
        database
            .sql(
                "SELECT offer_id, count(*) FILTER (WHERE status = 'WAITING') AS waiting,"
                    + " COALESCE(sum(quantity) FILTER (WHERE status = 'WAITING'), 0) AS wanted,"
                    + " count(*) FILTER (WHERE status = 'OFFERED') AS offered,"
                    + " count(*) FILTER (WHERE status = 'CLAIMED') AS claimed,"
                    + " count(*) FILTER (WHERE status = 'LAPSED') AS lapsed FROM "
                    + S
                    + ".waiting_list_entries WHERE event_id = $1 AND status <> 'REFUSED'"
                    + " GROUP BY offer_id ORDER BY offer_id")
            .bind(0, eventId)
            .map(
                row ->
                    new SalesStatistics.WaitingList(
                        row.get("offer_id", String.class),
                        row.get("waiting", Long.class),
                        row.get("wanted", Long.class),
                        row.get("offered", Long.class),
                        row.get("claimed", Long.class),
                        row.get("lapsed", Long.class)))
            .all()
            .collectList();
    Mono<long[]> tickets =
        database
            .sql(
                "SELECT count(*) FILTER (WHERE status = 'ISSUED') AS issued,"
                    + " count(*) FILTER (WHERE status = 'ISSUED' AND scanned_at IS NOT NULL)"
                    + " AS scanned FROM "
                    + S
                    + ".tickets WHERE event_id = $1")
            .bind(0, eventId)
            .map(row -> new long[] {row.get("issued", Long.class), row.get("scanned", Long.class)})
            .one();
    return event(eventId)
        .flatMap(
            event ->
                Mono.zip(offers, gates, tickets, codes, lists)
                    .map(
                        found -> {
                          long issued = found.getT3()[0];
                          long scanned = found.getT3()[1];
                          boolean ended = event.endsAt() != null && now.isAfter(event.endsAt());
                          return new SalesStatistics(
                              eventId,
                              event.title(),
                              event.endsAt(),
                              found.getT1(),
                              found.getT2(),
                              issued,
                              scanned,
                              ended ? issued - scanned : null,
                              found.getT2().stream()
                                  .mapToLong(SalesStatistics.GateScans::duplicatesOffline)
                                  .sum(),
                              found.getT4(),
                              found.getT5());
                        }));
  }

  @Override
  public Mono<Page<HourlySales>> hourlySales(String eventId, String offerId, PageRequest page) {
    Where where = new Where().and("event_id = ?", eventId);
    if (offerId != null) {
      where.and("offer_id = ?", offerId);
    }
    return page(
        "sales_by_hour",
        where,
        " ORDER BY hour, offer_id",
        page,
        row ->
            new HourlySales(
                row.get("hour", Instant.class),
                row.get("offer_id", String.class),
                row.get("tickets", Integer.class),
                row.get("revenue_minor", Long.class)));
  }

  @Override
  public Mono<Page<OfflineDuplicate>> offlineDuplicates(String eventId, PageRequest page) {
    return page(
        "offline_duplicates",
        new Where().and("event_id = ?", eventId),
        " ORDER BY scanned_at, scan_id",
        page,
        row ->
            new OfflineDuplicate(
                row.get("scan_id", String.class),
                row.get("ticket_id", String.class),
                row.get("gate", String.class),
                row.get("device", String.class),
                row.get("scanned_at", Instant.class),
                row.get("first_scanned_at", Instant.class),
                row.get("first_gate", String.class)));
  }

  @Override
  public Flux<String> reservationChanges(String reservationId) {
    return reservationChanges.of(reservationId);
  }

  @Override
  public Flux<String> availabilityChanges(String eventId) {
    return availabilityChanges.of(eventId);
  }
}
