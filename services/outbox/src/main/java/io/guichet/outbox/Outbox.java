package io.guichet.outbox;

import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.platform.serde.AvroSerializer;
import io.guichet.platform.serde.SubjectNameStrategy;
import io.guichet.platform.tracing.TraceParent;
import io.guichet.schemas.Topics;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Appends events to the outbox table. Called inside the caller's R2DBC transaction (a {@code
 * TransactionalOperator} or {@code @Transactional}), so the event is stored if and only if the rows
 * it describes are: rule 1 of the architecture. The {@link OutboxRelay} publishes it after the
 * commit.
 *
 * <p>The trace context in force ({@link TraceParent#current()}: the HTTP request's, or the consumed
 * record's) is stored with the event and becomes its record's {@code traceparent} header.
 *
 * <p>Each append also notifies {@value #CHANNEL} (delivered on commit, once per transaction), which
 * wakes the relays of every instance: the one that holds the relay's lock need not poll often.
 *
 * <p>Events are stored already in the Confluent wire format, so the relay needs no registry and a
 * schema that cannot be registered fails the request, not the relay.
 */
public final class Outbox {

  /** Classpath location of the table's DDL, for a service's schema initializer. */
  public static final String SCHEMA = "classpath:io/guichet/outbox/outbox-schema.sql";

  /** The channel a committed append notifies, which the relays listen on. */
  public static final String CHANNEL = "guichet_outbox";

  private final DatabaseClient database;
  private final SchemaRegistryClient registry;
  private final AvroSerializer<SpecificRecord> serializer;

  public Outbox(DatabaseClient database, SchemaRegistryClient registry) {
    this.database = database;
    this.registry = registry;
    this.serializer = new AvroSerializer<>(registry);
  }

  /**
   * Looks up (or registers) the schemas of these event types now, at start, so that appending never
   * waits for the registry on a request thread.
   */
  public Outbox warmUp(Collection<Class<? extends SpecificRecord>> eventTypes) {
    for (Class<? extends SpecificRecord> type : eventTypes) {
      var schema = SpecificData.get().getSchema(type);
      String topic = Topics.carrying(type).name();
      registry.register(SubjectNameStrategy.TOPIC_RECORD.subject(topic, false, schema), schema);
    }
    return this;
  }

  /**
   * Stores an event for its declared topic ({@link Topics#carrying}), keyed as that topic says.
   *
   * @param key the record key (the id whose order matters on that topic)
   * @param event the event
   */
  public Mono<Void> append(String key, SpecificRecord event) {
    return appendAll(List.of(new Keyed(key, event)));
  }

  /**
   * An event, its record key and the trace context it continues, for {@link #appendAll}.
   *
   * @param traceparent the record's {@code traceparent}, or null for the one in force
   */
  public record Keyed(String key, SpecificRecord event, String traceparent) {
    public Keyed(String key, SpecificRecord event) {
      this(key, event, null);
    }
  }

  /**
   * Stores events in one statement, in the order given (the relay publishes them in that order), as
   * {@link #append} would one by one: a projection writing a poll set-based appends the events it
   * causes together, whatever their number.
   */
  public Mono<Void> appendAll(List<Keyed> events) {
    if (events.isEmpty()) {
      return Mono.empty();
    }
    return TraceParent.current()
        .flatMap(
            current -> {
              String[] topics = new String[events.size()];
              String[] keys = new String[events.size()];
              String[] payloads = new String[events.size()];
              String[] traces = new String[events.size()];
              Base64.Encoder base64 = Base64.getEncoder();
              for (int i = 0; i < events.size(); i++) {
                Keyed keyed = events.get(i);
                topics[i] = Topics.carrying(keyed.event().getClass()).name();
                keys[i] = keyed.key();
                payloads[i] = base64.encodeToString(serializer.serialize(topics[i], keyed.event()));
                traces[i] = keyed.traceparent() != null ? keyed.traceparent() : current.orElse("");
              }
              return database
                  .sql(
                      // Ids follow the order of the SELECT's rows; payloads travel as base64.
                      "INSERT INTO outbox (topic, record_key, payload, traceparent)"
                          + " SELECT e.topic, e.record_key, decode(e.payload, 'base64'),"
                          + " nullif(e.traceparent, '') FROM unnest($1::text[], $2::text[],"
                          + " $3::text[], $4::text[]) WITH ORDINALITY"
                          + " AS e(topic, record_key, payload, traceparent, n),"
                          + " (SELECT pg_notify('"
                          + CHANNEL
                          + "', '')) AS woken ORDER BY e.n")
                  .bind(0, topics)
                  .bind(1, keys)
                  .bind(2, payloads)
                  .bind(3, traces)
                  .then();
            });
  }
}
