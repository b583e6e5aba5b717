package io.guichet.ticketing.adapter.out.r2dbc;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.ticketing.RevocationReason;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.outbox.Outbox;
import io.guichet.platform.secrets.SecretBox;
import io.guichet.platform.tickets.TicketPayload;
import io.guichet.ticketing.domain.Ticket;
import io.guichet.ticketing.domain.TicketKeys;
import io.r2dbc.spi.Readable;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ticketing's tables. Issuing and revoking write their events to the outbox in the caller's
 * transaction (the projection's, with its positions), so a ticket and its TicketIssued exist
 * together or not at all, and a replayed confirmation issues nothing new.
 */
public final class TicketStore {

  /** The event types ticketing publishes, for the outbox's schema warm-up. */
  public static final List<Class<? extends SpecificRecord>> TYPES =
      List.of(TicketIssued.class, TicketRevoked.class);

  private static final String COLUMNS =
      "ticket_id, reservation_id, event_id, offer_id, customer_id, seat_index, key_id,"
          + " key_fingerprint, status, revoke_reason, issued_at";

  private final DatabaseClient database;
  private final Outbox outbox;
  private final SecretBox box;

  public TicketStore(DatabaseClient database, Outbox outbox, SecretBox box) {
    this.database = database;
    this.outbox = outbox;
    this.box = box;
  }

  /** An event's signing key, as kept. */
  private record EventKey(String keyId, byte[] sealedPrivate, String publicKey) {}

  /**
   * Issues one ticket per seat of a confirmed reservation (none for a cancelled event, none twice).
   */
  public Mono<Void> issue(ReservationConfirmed confirmed, Instant at) {
    return cancelled(confirmed.getEventId())
        .flatMap(
            cancelled ->
                cancelled
                    ? Mono.empty()
                    : Mono.zip(
                            secret("account_keys", "customer_id", confirmed.getCustomerId()),
                            secret("purchase_keys", "reservation_id", confirmed.getReservationId()),
                            eventKey(confirmed.getEventId()))
                        .flatMapMany(
                            keys ->
                                Flux.range(1, confirmed.getSeats())
                                    .concatMap(
                                        seat ->
                                            issue(
                                                confirmed,
                                                seat,
                                                keys.getT1(),
                                                keys.getT2(),
                                                keys.getT3(),
                                                at)))
                        .then());
  }

  private Mono<Void> issue(
      ReservationConfirmed confirmed,
      int seat,
      byte[] accountKey,
      byte[] purchaseKey,
      EventKey eventKey,
      Instant at) {
    String ticketId = "t-" + UUID.randomUUID();
    String fingerprint =
        TicketPayload.fingerprint(TicketKeys.finalKey(accountKey, purchaseKey, ticketId));
    return database
        .sql(
            "INSERT INTO tickets ("
                + COLUMNS
                + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ISSUED', NULL, $9)"
                + " ON CONFLICT (reservation_id, seat_index) DO NOTHING")
        .bind(0, ticketId)
        .bind(1, confirmed.getReservationId())
        .bind(2, confirmed.getEventId())
        .bind(3, confirmed.getOfferId())
        .bind(4, confirmed.getCustomerId())
        .bind(5, seat)
        .bind(6, eventKey.keyId())
        .bind(7, fingerprint)
        .bind(8, utc(at))
        .fetch()
        .rowsUpdated()
        .filter(rows -> rows == 1)
        .flatMap(
            issued ->
                outbox.append(
                    ticketId,
                    TicketIssued.newBuilder()
                        .setId(UUID.randomUUID().toString())
                        .setOccurredAt(at)
                        .setTicketId(ticketId)
                        .setReservationId(confirmed.getReservationId())
                        .setEventId(confirmed.getEventId())
                        .setOfferId(confirmed.getOfferId())
                        .setCustomerId(confirmed.getCustomerId())
                        .setSeatIndex(seat)
                        .setSigningKeyId(eventKey.keyId())
                        .setKeyFingerprint(fingerprint)
                        .setSigningPublicKey(eventKey.publicKey())
                        .build()));
  }

  /** The secret kept under this id, created (and sealed) the first time it is asked for. */
  private Mono<byte[]> secret(String table, String column, String id) {
    Mono<byte[]> kept =
        database
            .sql("SELECT sealed_key FROM " + table + " WHERE " + column + " = $1")
            .bind(0, id)
            .map(row -> box.open(row.get("sealed_key", byte[].class)))
            .one();
    return kept.switchIfEmpty(
        Mono.defer(
            () ->
                database
                    .sql(
                        "INSERT INTO "
                            + table
                            + " ("
                            + column
                            + ", sealed_key) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(0, id)
                    .bind(1, box.seal(TicketKeys.newKey()))
                    .then()
                    .then(kept)));
  }

  private Mono<EventKey> eventKey(String eventId) {
    Mono<EventKey> kept =
        database
            .sql("SELECT key_id, sealed_private, public_key FROM event_keys WHERE event_id = $1")
            .bind(0, eventId)
            .map(
                row ->
                    new EventKey(
                        row.get("key_id", String.class),
                        row.get("sealed_private", byte[].class),
                        row.get("public_key", String.class)))
            .one();
    return kept.switchIfEmpty(
        Mono.defer(
            () -> {
              KeyPair pair = newEd25519();
              return database
                  .sql(
                      "INSERT INTO event_keys (event_id, key_id, sealed_private, public_key)"
                          + " VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING")
                  .bind(0, eventId)
                  .bind(1, "k-" + UUID.randomUUID())
                  .bind(2, box.seal(pair.getPrivate().getEncoded()))
                  .bind(3, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()))
                  .then()
                  .then(kept);
            }));
  }

  private Mono<Boolean> cancelled(String eventId) {
    return database
        .sql("SELECT 1 AS yes FROM cancelled_events WHERE event_id = $1")
        .bind(0, eventId)
        .map(row -> true)
        .one()
        .defaultIfEmpty(false);
  }

  /** Revokes the reservation's tickets (its payment was refunded). */
  public Mono<Void> revokeReservation(String reservationId, Instant at) {
    return revoke("reservation_id", reservationId, RevocationReason.REFUNDED, at);
  }

  /** Revokes every ticket of the event, and issues none for it any more. */
  public Mono<Void> revokeEvent(String eventId, Instant at) {
    return database
        .sql("INSERT INTO cancelled_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(0, eventId)
        .then()
        .then(revoke("event_id", eventId, RevocationReason.EVENT_CANCELLED, at));
  }

  private Mono<Void> revoke(String column, String id, RevocationReason reason, Instant at) {
    return database
        .sql(
            "UPDATE tickets SET status = 'REVOKED', revoke_reason = $2 WHERE "
                + column
                + " = $1 AND status = 'ISSUED' RETURNING "
                + COLUMNS)
        .bind(0, id)
        .bind(1, reason.name())
        .map(row -> ticket(row))
        .all()
        .concatMap(
            ticket ->
                outbox.append(
                    ticket.ticketId(),
                    TicketRevoked.newBuilder()
                        .setId(UUID.randomUUID().toString())
                        .setOccurredAt(at)
                        .setTicketId(ticket.ticketId())
                        .setReservationId(ticket.reservationId())
                        .setEventId(ticket.eventId())
                        .setCustomerId(ticket.customerId())
                        .setReason(reason)
                        .build()))
        .then();
  }

  public Mono<Ticket> ticket(String ticketId) {
    return database
        .sql("SELECT " + COLUMNS + " FROM tickets WHERE ticket_id = $1")
        .bind(0, ticketId)
        .map(row -> ticket(row))
        .one();
  }

  public Flux<Ticket> ofReservation(String reservationId) {
    return database
        .sql("SELECT " + COLUMNS + " FROM tickets WHERE reservation_id = $1 ORDER BY seat_index")
        .bind(0, reservationId)
        .map(row -> ticket(row))
        .all();
  }

  /** The ticket's signed QR payload, made from its keys (never stored). */
  public Mono<String> payload(Ticket ticket) {
    return database
        .sql(
            "SELECT a.sealed_key AS account, p.sealed_key AS purchase, e.sealed_private"
                + " FROM account_keys a, purchase_keys p, event_keys e"
                + " WHERE a.customer_id = $1 AND p.reservation_id = $2 AND e.event_id = $3")
        .bind(0, ticket.customerId())
        .bind(1, ticket.reservationId())
        .bind(2, ticket.eventId())
        .map(
            row ->
                new TicketPayload(
                        ticket.ticketId(),
                        ticket.eventId(),
                        ticket.offerId(),
                        ticket.keyId(),
                        TicketKeys.finalKey(
                            box.open(row.get("account", byte[].class)),
                            box.open(row.get("purchase", byte[].class)),
                            ticket.ticketId()))
                    .sign(privateKey(box.open(row.get("sealed_private", byte[].class)))))
        .one();
  }

  private static Ticket ticket(Readable row) {
    return new Ticket(
        row.get("ticket_id", String.class),
        row.get("reservation_id", String.class),
        row.get("event_id", String.class),
        row.get("offer_id", String.class),
        row.get("customer_id", String.class),
        row.get("seat_index", Integer.class),
        row.get("key_id", String.class),
        row.get("key_fingerprint", String.class),
        Ticket.Status.valueOf(row.get("status", String.class)),
        row.get("revoke_reason", String.class),
        row.get("issued_at", OffsetDateTime.class).toInstant());
  }

  private static KeyPair newEd25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    }
  }

  private static PrivateKey privateKey(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a stored event key is not an Ed25519 key", e);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
