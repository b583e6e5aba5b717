package io.guichet.gate.adapter.out.r2dbc;

import io.guichet.events.gate.ScanOutcome;
import io.guichet.events.gate.ScanRejectionReason;
import io.guichet.events.gate.TicketScanned;
import io.guichet.gate.application.GateStore;
import io.guichet.gate.domain.GateTicket;
import io.guichet.gate.domain.ScanResult;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.platform.secrets.SecretBox;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The gate's tables; scans are published through the outbox in their transaction. */
public final class R2dbcGateStore implements GateStore {

  /** The event types the gate publishes, for the outbox's schema warm-up. */
  public static final List<Class<? extends SpecificRecord>> TYPES = List.of(TicketScanned.class);

  private final DatabaseClient database;
  private final TransactionalOperator transactions;
  private final Outbox outbox;
  private final OutboxRelay relay;
  private final SecretBox codeKeys;

  /**
   * @param codeKeys opens the rotating-code keys ticketing sealed for the gate
   */
  public R2dbcGateStore(
      DatabaseClient database,
      TransactionalOperator transactions,
      Outbox outbox,
      OutboxRelay relay,
      SecretBox codeKeys) {
    this.database = database;
    this.transactions = transactions;
    this.outbox = outbox;
    this.relay = relay;
    this.codeKeys = codeKeys;
  }

  @Override
  public Mono<EventKey> eventKey(String keyId) {
    return database
        .sql("SELECT key_id, event_id, public_key FROM event_keys WHERE key_id = $1")
        .bind(0, keyId)
        .map(row -> key(row))
        .one();
  }

  @Override
  public Mono<GateTicket> ticket(String ticketId) {
    return database
        .sql(
            "SELECT ticket_id, event_id, key_id, key_fingerprint, sealed_code_key, status,"
                + " first_scanned_at, first_gate FROM gate_tickets WHERE ticket_id = $1")
        .bind(0, ticketId)
        .map(
            row -> {
              OffsetDateTime first = row.get("first_scanned_at", OffsetDateTime.class);
              byte[] sealed = row.get("sealed_code_key", byte[].class);
              return new GateTicket(
                  row.get("ticket_id", String.class),
                  row.get("event_id", String.class),
                  row.get("key_id", String.class),
                  row.get("key_fingerprint", String.class),
                  sealed == null ? null : codeKeys.open(sealed),
                  "REVOKED".equals(row.get("status", String.class)),
                  first == null ? null : first.toInstant(),
                  row.get("first_gate", String.class));
            })
        .one();
  }

  @Override
  public Mono<Boolean> use(ScanResult accepted) {
    Mono<Boolean> work =
        database
            .sql(
                "UPDATE gate_tickets SET first_scanned_at = $2, first_gate = $3"
                    + " WHERE ticket_id = $1 AND status = 'ISSUED' AND first_scanned_at IS NULL")
            .bind(0, accepted.ticketId())
            .bind(1, accepted.scannedAt().atOffset(ZoneOffset.UTC))
            .bind(2, accepted.gate())
            .fetch()
            .rowsUpdated()
            .flatMap(
                rows ->
                    rows == 1
                        ? outbox.append(key(accepted), toEvent(accepted)).thenReturn(true)
                        : Mono.just(false));
    return work.as(transactions::transactional).doOnNext(used -> relay.nudge());
  }

  @Override
  public Mono<Void> record(ScanResult rejected) {
    return outbox
        .append(key(rejected), toEvent(rejected))
        .as(transactions::transactional)
        .doOnSuccess(done -> relay.nudge());
  }

  @Override
  public Mono<Bundle> bundle(String eventId) {
    Mono<List<EventKey>> keys =
        database
            .sql("SELECT key_id, event_id, public_key FROM event_keys WHERE event_id = $1")
            .bind(0, eventId)
            .map(row -> key(row))
            .all()
            .collectList();
    Mono<List<String>> revoked =
        database
            .sql(
                "SELECT ticket_id FROM gate_tickets WHERE event_id = $1 AND status = 'REVOKED'"
                    + " ORDER BY ticket_id")
            .bind(0, eventId)
            .map(row -> row.get("ticket_id", String.class))
            .all()
            .collectList();
    return Mono.zip(keys, revoked)
        .filter(both -> !both.getT1().isEmpty())
        .map(both -> new Bundle(eventId, both.getT1(), both.getT2()));
  }

  private static String key(ScanResult scan) {
    return scan.ticketId() == null ? scan.scanId() : scan.ticketId();
  }

  private static TicketScanned toEvent(ScanResult scan) {
    return TicketScanned.newBuilder()
        .setId(scan.scanId())
        .setOccurredAt(scan.scannedAt())
        .setScanId(scan.scanId())
        .setTicketId(scan.ticketId())
        .setEventId(scan.eventId())
        .setGate(scan.gate())
        .setOutcome(ScanOutcome.valueOf(scan.outcome().name()))
        .setRejectionReason(
            scan.reason() == null ? null : ScanRejectionReason.valueOf(scan.reason().name()))
        .setFirstScannedAt(scan.firstScannedAt())
        .setFirstGate(scan.firstGate())
        .build();
  }

  private static EventKey key(Readable row) {
    return new EventKey(
        row.get("key_id", String.class),
        row.get("event_id", String.class),
        row.get("public_key", String.class));
  }
}
