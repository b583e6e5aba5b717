package io.guichet.booking.adapter.out.r2dbc;

import io.guichet.booking.application.ReservationView;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Reads the projected status of reservations. */
public final class ReservationStatuses {

  private final DatabaseClient database;

  public ReservationStatuses(DatabaseClient database) {
    this.database = database;
  }

  public Mono<ReservationView> find(String reservationId) {
    return database
        .sql("SELECT * FROM reservation_status WHERE reservation_id = $1")
        .bind(0, reservationId)
        .map(ReservationStatuses::view)
        .one();
  }

  private static ReservationView view(Readable row) {
    return new ReservationView(
        row.get("reservation_id", String.class),
        row.get("event_id", String.class),
        row.get("offer_id", String.class),
        row.get("customer_id", String.class),
        row.get("quantity", Integer.class),
        row.get("status", String.class),
        row.get("seats", Integer.class),
        row.get("amount_minor", Long.class),
        row.get("currency", String.class),
        instant(row.get("expires_at", OffsetDateTime.class)),
        row.get("reason", String.class),
        row.get("detail", String.class),
        instant(row.get("updated_at", OffsetDateTime.class)),
        row.get("version", Integer.class),
        AssignedSeats.read(row.get("assigned_seats", String.class)));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
