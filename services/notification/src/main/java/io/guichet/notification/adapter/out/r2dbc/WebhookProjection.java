package io.guichet.notification.adapter.out.r2dbc;

import io.guichet.events.catalog.AccessCodeCreated;
import io.guichet.events.catalog.SeatingAssigned;
import io.guichet.events.ticketing.TicketTransferOffered;
import io.guichet.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Turns each public fact into one delivery per active endpoint subscribed to its type (keyed by
 * endpoint and fact: a redelivered fact adds none), with its JSON payload and its ordering key. The
 * caller runs it in the transaction that stores the consumed positions.
 */
public final class WebhookProjection {

  /** The topics partners may subscribe to. */
  public static final List<String> TOPICS =
      List.of(
          Topics.CATALOG_EVENTS.name(),
          Topics.RESERVATIONS.name(),
          Topics.PAYMENTS.name(),
          Topics.TICKETS.name(),
          Topics.SCANS.name());

  /**
   * The event types partners may subscribe to: the simple names of the events on those topics, but
   * TicketTransferOffered, which carries a person's email address (partners see a transfer as the
   * ticket's revocation, TRANSFERRED, and the new ticket's TicketIssued), AccessCodeCreated, whose
   * digest would let a partner try short codes until one matches, and SeatingAssigned, which
   * carries every seat of a venue (megabytes of JSON for a stadium: a webhook is no way to move
   * it).
   */
  public static final Set<String> EVENT_TYPES = eventTypes();

  private final DatabaseClient database;
  private final Clock clock;

  public WebhookProjection(DatabaseClient database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  private static Set<String> eventTypes() {
    Set<String> types = new TreeSet<>();
    for (String topic : TOPICS) {
      Topics.named(topic)
          .orElseThrow()
          .valueTypes()
          .forEach(type -> types.add(type.getSimpleName()));
    }
    types.remove(TicketTransferOffered.class.getSimpleName());
    types.remove(AccessCodeCreated.class.getSimpleName());
    types.remove(SeatingAssigned.class.getSimpleName());
    return Set.copyOf(types);
  }

  public Mono<Void> project(SpecificRecord fact) {
    String type = fact.getSchema().getName();
    if (!EVENT_TYPES.contains(type)) {
      return Mono.empty();
    }
    Instant now = clock.instant();
    return database
        .sql(
            "INSERT INTO deliveries (delivery_id, webhook_id, event_id, event_type, ordering_key,"
                + " payload, status, created_at, window_start, next_attempt_at)"
                + " SELECT 'd-' || md5(webhook_id || '/' || $1), webhook_id, $1, $2, $3, $4,"
                + " 'PENDING', $5, $5, $5 FROM webhooks WHERE active AND $2 = ANY (event_types)"
                + " ON CONFLICT (webhook_id, event_id) DO NOTHING")
        .bind(0, text(fact, "id"))
        .bind(1, type)
        .bind(2, orderingKey(fact))
        .bind(3, payload(fact))
        .bind(4, now.atOffset(ZoneOffset.UTC))
        .then();
  }

  /**
   * A poll's records in the order they were written across partitions and topics (by timestamp,
   * merging the partitions), each partition's own order kept: a reservation's confirmation, then
   * its tickets, though they come from two topics and one poll may hold both.
   */
  public static List<ConsumerRecord<String, SpecificRecord>> inWrittenOrder(
      List<ConsumerRecord<String, SpecificRecord>> records) {
    Map<String, java.util.ArrayDeque<ConsumerRecord<String, SpecificRecord>>> partitions =
        new LinkedHashMap<>();
    for (ConsumerRecord<String, SpecificRecord> record : records) {
      partitions
          .computeIfAbsent(
              record.topic() + "/" + record.partition(), p -> new java.util.ArrayDeque<>())
          .add(record);
    }
    List<ConsumerRecord<String, SpecificRecord>> ordered = new ArrayList<>(records.size());
    while (ordered.size() < records.size()) {
      java.util.ArrayDeque<ConsumerRecord<String, SpecificRecord>> next = null;
      for (var partition : partitions.values()) {
        if (!partition.isEmpty()
            && (next == null || partition.peek().timestamp() < next.peek().timestamp())) {
          next = partition;
        }
      }
      ordered.add(next.poll());
    }
    return ordered;
  }

  /** The reservation, else the event, else the ticket, else the fact itself. */
  static String orderingKey(SpecificRecord fact) {
    for (String field : List.of("reservationId", "eventId", "ticketId")) {
      String value = text(fact, field);
      if (value != null) {
        return field.replace("Id", "") + ":" + value;
      }
    }
    return "fact:" + text(fact, "id");
  }

  private static String text(SpecificRecord fact, String field) {
    Schema.Field found = fact.getSchema().getField(field);
    if (found == null) {
      return null;
    }
    Object value = fact.get(found.pos());
    return value == null ? null : value.toString();
  }

  /** {@code {"id", "type", "occurredAt", "data": {every field, as plain JSON}}}. */
  static String payload(SpecificRecord fact) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", text(fact, "id"));
    payload.put("type", fact.getSchema().getName());
    payload.put("occurredAt", plain(fact.get(fact.getSchema().getField("occurredAt").pos())));
    payload.put("data", plain(fact));
    try {
      return R2dbcEmailStore.JSON.writeValueAsString(payload);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Avro values as JSON values: records as objects, instants as ISO-8601, enums as names. */
  private static Object plain(Object value) {
    if (value instanceof SpecificRecord record) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (Schema.Field field : record.getSchema().getFields()) {
        fields.put(field.name(), plain(record.get(field.pos())));
      }
      return fields;
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>();
      list.forEach(item -> items.add(plain(item)));
      return items;
    }
    if (value instanceof Instant || value instanceof CharSequence || value instanceof Enum<?>) {
      return value.toString();
    }
    return value;
  }
}
