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
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final SecretBox codeKeyBox;

  /**
   * @param codeKeyBox opens the rotating-code keys ticketing sealed for the gate
   */
  public R2dbcGateStore(
      DatabaseClient database,
      TransactionalOperator transactions,
      Outbox outbox,
      OutboxRelay relay,
      SecretBox codeKeyBox) {
    this.database = database;
    this.transactions = transactions;
    this.outbox = outbox;
    this.relay = relay;
    this.codeKeyBox = codeKeyBox;
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
            "SELECT t.ticket_id, t.event_id, key_id, key_fingerprint, sealed_code_key,"
                + " COALESCE(p.static_codes, true) AS static_codes, status, first_scanned_at,"
                + " first_gate, seat FROM gate_tickets t LEFT JOIN event_code_policies p"
                + " ON p.event_id = t.event_id WHERE t.ticket_id = $1")
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
                  sealed == null ? null : codeKeyBox.open(sealed),
                  Boolean.TRUE.equals(row.get("static_codes", Boolean.class)),
                  "REVOKED".equals(row.get("status", String.class)),
                  first == null ? null : first.toInstant(),
                  row.get("first_gate", String.class),
                  row.get("seat", String.class));
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
  public <T> Mono<T> atomically(Mono<T> work) {
    return work.as(transactions::transactional);
  }

  @Override
  public Mono<Boolean> claimOffline(String scanId, String device) {
    return database
        .sql(
            "INSERT INTO offline_scans (scan_id, device) VALUES ($1, $2)"
                + " ON CONFLICT (scan_id) DO NOTHING")
        .bind(0, scanId)
        .bind(1, device)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  @Override
  public Mono<ScanResult> settleOffline(ScanResult verdict) {
    return database
        .sql(
            "UPDATE offline_scans SET ticket_id = $2, event_id = $3, gate = $4, outcome = $5,"
                + " reason = $6, detail = $7, first_scanned_at = $8, first_gate = $9,"
                + " scanned_at = $10 WHERE scan_id = $1")
        .bind(0, verdict.scanId())
        .bind(1, Parameters.in(R2dbcType.VARCHAR, verdict.ticketId()))
        .bind(2, Parameters.in(R2dbcType.VARCHAR, verdict.eventId()))
        .bind(3, verdict.gate())
        .bind(4, verdict.outcome().name())
        .bind(
            5,
            Parameters.in(
                R2dbcType.VARCHAR, verdict.reason() == null ? null : verdict.reason().name()))
        .bind(6, Parameters.in(R2dbcType.VARCHAR, verdict.detail()))
        .bind(7, Parameters.in(R2dbcType.TIMESTAMP_WITH_TIME_ZONE, utc(verdict.firstScannedAt())))
        .bind(8, Parameters.in(R2dbcType.VARCHAR, verdict.firstGate()))
        .bind(9, utc(verdict.scannedAt()))
        .then()
        .thenReturn(verdict);
  }

  @Override
  public Mono<ScanResult> offlineVerdict(String scanId) {
    return database
        .sql("SELECT * FROM offline_scans WHERE scan_id = $1 AND outcome IS NOT NULL")
        .bind(0, scanId)
        .map(
            row -> {
              String reason = row.get("reason", String.class);
              return new ScanResult(
                  row.get("scan_id", String.class),
                  row.get("ticket_id", String.class),
                  row.get("event_id", String.class),
                  row.get("gate", String.class),
                  ScanResult.Outcome.valueOf(row.get("outcome", String.class)),
                  reason == null ? null : ScanResult.Reason.valueOf(reason),
                  row.get("detail", String.class),
                  instant(row.get("first_scanned_at", OffsetDateTime.class)),
                  row.get("first_gate", String.class),
                  instant(row.get("scanned_at", OffsetDateTime.class)),
                  row.get("device", String.class));
            })
        .one();
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
    List<String> revoked = new ArrayList<>();
    List<String> used = new ArrayList<>();
    Map<String, String> codeKeys = new LinkedHashMap<>();
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    Mono<Void> tickets =
        database
            .sql(
                "SELECT ticket_id, status, first_scanned_at IS NOT NULL AS used, sealed_code_key"
                    + " FROM gate_tickets WHERE event_id = $1 ORDER BY ticket_id")
            .bind(0, eventId)
            .map(
                row -> {
                  String ticketId = row.get("ticket_id", String.class);
                  if ("REVOKED".equals(row.get("status", String.class))) {
                    revoked.add(ticketId);
                  } else {
                    byte[] sealed = row.get("sealed_code_key", byte[].class);
                    if (sealed != null) {
                      codeKeys.put(ticketId, base64.encodeToString(codeKeyBox.open(sealed)));
                    }
                  }
                  if (Boolean.TRUE.equals(row.get("used", Boolean.class))) {
                    used.add(ticketId);
                  }
                  return ticketId;
                })
            .all()
            .then();
    Mono<Boolean> staticCodes =
        database
            .sql("SELECT static_codes FROM event_code_policies WHERE event_id = $1")
            .bind(0, eventId)
            .map(row -> row.get("static_codes", Boolean.class))
            .one()
            .defaultIfEmpty(true);
    return keys.flatMap(
        found ->
            found.isEmpty()
                ? Mono.empty()
                : tickets
                    .then(staticCodes)
                    .map(allowed -> new Bundle(eventId, found, revoked, used, codeKeys, allowed)));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
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
        .setDevice(scan.device())
        .build();
  }

  private static EventKey key(Readable row) {
    return new EventKey(
        row.get("key_id", String.class),
        row.get("event_id", String.class),
        row.get("public_key", String.class));
  }
}
