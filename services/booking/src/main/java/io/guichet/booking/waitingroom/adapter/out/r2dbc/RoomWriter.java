package io.guichet.booking.waitingroom.adapter.out.r2dbc;

import io.guichet.events.waitingroom.QueueJoined;
import io.guichet.events.waitingroom.WaitingRoomConfigured;
import io.guichet.outbox.PositionedConsumer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one writer of a room's places: it reads {@code booking.waiting-room} in partition order (the
 * topic is keyed by event, so one consumer owns an event's arrivals) and gives each account's first
 * arrival the next place, or, before the opening, a random draw that orders the pre-queue when the
 * sale opens. Places, the room's counters and the consumed positions commit in one transaction
 * (rule 3): a redelivered arrival, or an account joining again, finds its place taken and changes
 * nothing. A poll's arrivals for one event are written with one statement.
 */
public final class RoomWriter implements PositionedConsumer.Projector {

  private static final Logger LOG = LoggerFactory.getLogger(RoomWriter.class);

  private static final String CONFIGURE =
      "INSERT INTO waiting_rooms (event_id, organizer_id, enabled, opens_at,"
          + " admissions_per_minute, pass_lifetime_seconds) VALUES ($1, $2, $3, $4, $5, $6)"
          + " ON CONFLICT (event_id) DO UPDATE SET organizer_id = EXCLUDED.organizer_id,"
          + " enabled = EXCLUDED.enabled,"
          // Once the pre-queue is drawn the sale has opened: moving the opening changes nothing.
          + " opens_at = CASE WHEN waiting_rooms.drawn THEN waiting_rooms.opens_at"
          + "   ELSE EXCLUDED.opens_at END,"
          + " admissions_per_minute = EXCLUDED.admissions_per_minute,"
          + " pass_lifetime_seconds = EXCLUDED.pass_lifetime_seconds";

  /**
   * A run of one event's arrivals, in log order: each account not placed yet gets the next place
   * (or a draw, before the opening); the room's counters move by what was placed.
   */
  private static final String JOIN =
      "WITH room AS (SELECT drawn, last_position FROM waiting_rooms WHERE event_id = $1 FOR UPDATE),"
          + " arrivals AS (SELECT a.customer_id, a.joined_at, a.ord FROM unnest($2::text[],"
          + "   $3::bigint[]) WITH ORDINALITY AS a(customer_id, joined_at, ord)),"
          + " fresh AS (SELECT DISTINCT ON (customer_id) customer_id, joined_at, ord FROM arrivals a"
          + "   WHERE NOT EXISTS (SELECT 1 FROM queue_places p WHERE p.event_id = $1"
          + "     AND p.customer_id = a.customer_id) ORDER BY customer_id, ord),"
          + " numbered AS (SELECT f.*, row_number() OVER (ORDER BY ord) AS n FROM fresh f),"
          + " placed AS (INSERT INTO queue_places (event_id, customer_id, joined_at, draw, position)"
          + "   SELECT $1, n.customer_id, to_timestamp(n.joined_at / 1000.0),"
          + "     CASE WHEN room.drawn THEN NULL ELSE gen_random_uuid() END,"
          + "     CASE WHEN room.drawn THEN room.last_position + n.n END"
          + "   FROM numbered n CROSS JOIN room RETURNING position)"
          + " UPDATE waiting_rooms SET"
          + " last_position = last_position + (SELECT count(*) FROM placed WHERE position IS NOT NULL),"
          + " pre_queue = pre_queue + (SELECT count(*) FROM placed WHERE position IS NULL)"
          + " WHERE event_id = $1";

  private final DatabaseClient database;
  private final TransactionalOperator transactions;

  public RoomWriter(DatabaseClient database, TransactionalOperator transactions) {
    this.database = database;
    this.transactions = transactions;
  }

  @Override
  public Mono<Void> apply(
      List<ConsumerRecord<String, SpecificRecord>> records, Mono<Void> savePositions) {
    Set<String> changed = new LinkedHashSet<>();
    return Flux.fromIterable(steps(records, changed))
        .concatMap(step -> step)
        .then(savePositions)
        .then(
            Flux.fromIterable(changed)
                .concatMap(event -> R2dbcRooms.announce(database, event))
                .then())
        .as(transactions::transactional);
  }

  /**
   * The batch as statements, in order per event: a room's settings apply before the arrivals that
   * follow them, and consecutive arrivals of an event are one statement.
   */
  private List<Mono<Void>> steps(
      List<ConsumerRecord<String, SpecificRecord>> records, Set<String> changed) {
    Map<String, List<Object>> byEvent = new LinkedHashMap<>();
    for (ConsumerRecord<String, SpecificRecord> record : records) {
      SpecificRecord fact = record.value();
      if (!storable(fact)) {
        // Not written by a front door (an id PostgreSQL cannot store): retrying would block the
        // partition forever, so it is stepped over, and said.
        LOG.warn(
            "{}@{}: a waiting-room fact with an unstorable id is skipped",
            record.topic() + "-" + record.partition(),
            record.offset());
        continue;
      }
      if (fact instanceof WaitingRoomConfigured configured) {
        byEvent.computeIfAbsent(configured.getEventId(), id -> new ArrayList<>()).add(configured);
      } else if (fact instanceof QueueJoined joined) {
        List<Object> steps = byEvent.computeIfAbsent(joined.getEventId(), id -> new ArrayList<>());
        if (steps.isEmpty() || !(steps.get(steps.size() - 1) instanceof List<?>)) {
          steps.add(new ArrayList<QueueJoined>());
        }
        @SuppressWarnings("unchecked")
        List<QueueJoined> run = (List<QueueJoined>) steps.get(steps.size() - 1);
        run.add(joined);
      }
    }
    List<Mono<Void>> statements = new ArrayList<>();
    byEvent.forEach(
        (eventId, steps) -> {
          changed.add(eventId);
          for (Object step : steps) {
            if (step instanceof WaitingRoomConfigured configured) {
              statements.add(configure(configured));
            } else {
              @SuppressWarnings("unchecked")
              List<QueueJoined> run = (List<QueueJoined>) step;
              statements.add(join(eventId, run));
            }
          }
        });
    return statements;
  }

  private static boolean storable(SpecificRecord fact) {
    if (fact instanceof WaitingRoomConfigured configured) {
      return storable(configured.getEventId()) && storable(configured.getOrganizerId());
    }
    if (fact instanceof QueueJoined joined) {
      return storable(joined.getEventId()) && storable(joined.getCustomerId());
    }
    return true;
  }

  private static boolean storable(String id) {
    return id != null && !id.isEmpty() && id.length() <= 255 && id.indexOf('\0') < 0;
  }

  private Mono<Void> configure(WaitingRoomConfigured configured) {
    DatabaseClient.GenericExecuteSpec spec =
        database
            .sql(CONFIGURE)
            .bind(0, configured.getEventId())
            .bind(1, configured.getOrganizerId())
            .bind(2, configured.getEnabled())
            .bind(3, OffsetDateTime.ofInstant(configured.getOpensAt(), ZoneOffset.UTC));
    spec =
        configured.getAdmissionsPerMinute() == null
            ? spec.bindNull(4, Integer.class)
            : spec.bind(4, configured.getAdmissionsPerMinute());
    return spec.bind(5, configured.getPassLifetimeSeconds()).then();
  }

  private Mono<Void> join(String eventId, List<QueueJoined> run) {
    return database
        .sql(JOIN)
        .bind(0, eventId)
        .bind(1, run.stream().map(QueueJoined::getCustomerId).toArray(String[]::new))
        .bind(2, run.stream().map(j -> j.getOccurredAt().toEpochMilli()).toArray(Long[]::new))
        .then();
  }
}
