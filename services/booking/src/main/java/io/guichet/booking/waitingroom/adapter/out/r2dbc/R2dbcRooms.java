package io.guichet.booking.waitingroom.adapter.out.r2dbc;

import io.guichet.booking.waitingroom.application.RoomReader;
import io.guichet.booking.waitingroom.domain.Room;
import io.guichet.booking.waitingroom.domain.RoomSettings;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Rooms and places as the writer and the admission ticks left them. */
public final class R2dbcRooms implements RoomReader {

  /** Rooms change on this channel, with the event id: the writer and the ticks notify on it. */
  public static final String CHANNEL = "waiting_rooms";

  static final String ROOM_COLUMNS =
      "event_id, enabled, opens_at, admissions_per_minute, pass_lifetime_seconds, drawn, pre_queue,"
          + " last_position, admitted_through, sold_out";

  private final DatabaseClient database;

  /** Tells every instance's listeners that the event's room changed (delivered on commit). */
  static Mono<Void> announce(DatabaseClient database, String eventId) {
    return database.sql("SELECT pg_notify($1, $2)").bind(0, CHANNEL).bind(1, eventId).then();
  }

  public R2dbcRooms(DatabaseClient database) {
    this.database = database;
  }

  @Override
  public Mono<Room> room(String eventId) {
    return database
        .sql(
            "SELECT "
                + ROOM_COLUMNS
                + ", (SELECT coalesce(sum(to_position - from_position + 1), 0) FROM room_admissions a"
                + " WHERE a.event_id = w.event_id AND a.admitted_at > now() - interval '1 minute')"
                + " AS admitted_last_minute FROM waiting_rooms w WHERE event_id = $1")
        .bind(0, eventId)
        .map(row -> room(row, row.get("admitted_last_minute", Long.class)))
        .one();
  }

  static Room room(Readable row, long admittedLastMinute) {
    Integer rate = row.get("admissions_per_minute", Integer.class);
    return new Room(
        row.get("event_id", String.class),
        Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
        new RoomSettings(
            row.get("opens_at", OffsetDateTime.class).toInstant(),
            rate == null ? OptionalInt.empty() : OptionalInt.of(rate),
            Duration.ofSeconds(row.get("pass_lifetime_seconds", Integer.class))),
        Boolean.TRUE.equals(row.get("drawn", Boolean.class)),
        row.get("pre_queue", Long.class),
        row.get("last_position", Long.class),
        row.get("admitted_through", Long.class),
        Boolean.TRUE.equals(row.get("sold_out", Boolean.class)),
        admittedLastMinute);
  }

  @Override
  public Mono<Spot> spot(String eventId, String customerId) {
    return database
        .sql(
            "SELECT p.position, (SELECT a.admitted_at FROM room_admissions a"
                + " WHERE a.event_id = p.event_id AND a.to_position >= p.position"
                + " AND a.from_position <= p.position) AS admitted_at"
                + " FROM queue_places p WHERE p.event_id = $1 AND p.customer_id = $2")
        .bind(0, eventId)
        .bind(1, customerId)
        .map(
            row -> {
              OffsetDateTime admitted = row.get("admitted_at", OffsetDateTime.class);
              Instant at = admitted == null ? null : admitted.toInstant();
              return new Spot(row.get("position", Long.class), at);
            })
        .one();
  }

  @Override
  public Mono<Set<String>> guardedEvents() {
    return database
        .sql("SELECT event_id FROM waiting_rooms WHERE enabled")
        .map(row -> row.get("event_id", String.class))
        .all()
        .collect(Collectors.toSet());
  }
}
