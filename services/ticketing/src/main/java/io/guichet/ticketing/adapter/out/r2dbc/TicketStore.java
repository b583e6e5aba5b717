package io.guichet.ticketing.adapter.out.r2dbc;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.ticketing.RevocationReason;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import io.guichet.events.ticketing.TicketSeat;
import io.guichet.events.ticketing.TicketTransferOffered;
import io.guichet.outbox.Outbox;
import io.guichet.platform.secrets.SecretBox;
import io.guichet.platform.tickets.RotatingCode;
import io.guichet.platform.tickets.TicketCard;
import io.guichet.platform.tickets.TicketPayload;
import io.guichet.ticketing.domain.Ticket;
import io.guichet.ticketing.domain.TicketKeys;
import io.guichet.ticketing.domain.Transfer;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
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
      List.of(TicketIssued.class, TicketRevoked.class, TicketTransferOffered.class);

  private static final String COLUMNS =
      "ticket_id, reservation_id, event_id, offer_id, customer_id, seat_index, key_id,"
          + " key_fingerprint, status, revoke_reason, issued_at, seat_section, seat_row, seat_label";

  /** What a ticket is read with: its columns, its place in its seat's chain and its keys' id. */
  private static final String READ =
      COLUMNS
          + ", generation, COALESCE(purchase_id, reservation_id) AS purchase_id, transferred_from";

  private final DatabaseClient database;
  private final Outbox outbox;
  private final SecretBox box;
  private final SecretBox forGate;

  /**
   * @param box seals the keys kept here
   * @param forGate seals each ticket's rotating-code key in its TicketIssued, for the gate
   */
  public TicketStore(DatabaseClient database, Outbox outbox, SecretBox box, SecretBox forGate) {
    this.database = database;
    this.outbox = outbox;
    this.box = box;
    this.forGate = forGate;
  }

  /** An event's signing key, as kept. */
  private record EventKey(String keyId, byte[] sealedPrivate, String publicKey) {}

  /**
   * Issues one ticket per seat of each confirmed reservation, set-based: a handful of statements
   * for a whole poll of confirmations (none for an event in {@code cancelled} or already recorded
   * as cancelled, none twice: a confirmation delivered again issues nothing), and their
   * TicketIssued events in the confirmations' order.
   *
   * @param traces each reservation's trace context (its record's {@code traceparent}) for the
   *     events issued for it; none (empty) for the one in force
   */
  public Mono<Void> issue(
      List<ReservationConfirmed> confirmations,
      Map<String, String> traces,
      Set<String> cancelled,
      Instant at) {
    Map<String, ReservationConfirmed> byReservation = new LinkedHashMap<>();
    for (ReservationConfirmed confirmed : confirmations) {
      if (!cancelled.contains(confirmed.getEventId())) {
        byReservation.putIfAbsent(confirmed.getReservationId(), confirmed);
      }
    }
    if (byReservation.isEmpty()) {
      return Mono.empty();
    }
    Set<String> events = new LinkedHashSet<>();
    Set<String> customers = new LinkedHashSet<>();
    for (ReservationConfirmed confirmed : byReservation.values()) {
      events.add(confirmed.getEventId());
      customers.add(confirmed.getCustomerId());
    }
    return cancelledOf(events)
        .flatMap(
            gone -> {
              List<ReservationConfirmed> issuing =
                  byReservation.values().stream()
                      .filter(confirmed -> !gone.contains(confirmed.getEventId()))
                      .toList();
              if (issuing.isEmpty()) {
                return Mono.empty();
              }
              return Mono.zip(
                      secrets("account_keys", "customer_id", customers),
                      secrets("purchase_keys", "reservation_id", byReservation.keySet()),
                      Flux.fromIterable(events)
                          .filter(event -> !gone.contains(event))
                          .concatMap(event -> eventKey(event).map(key -> Map.entry(event, key)))
                          .collectMap(Map.Entry::getKey, Map.Entry::getValue))
                  .flatMap(
                      keys -> issue(issuing, keys.getT1(), keys.getT2(), keys.getT3(), traces, at));
            });
  }

  /** A ticket about to be written, with the event announcing it. */
  private record NewTicket(
      String ticketId,
      ReservationConfirmed confirmed,
      int seat,
      EventKey key,
      String fingerprint,
      byte[] sealedCodeKey,
      Ticket.Seat place) {}

  private Mono<Void> issue(
      List<ReservationConfirmed> issuing,
      Map<String, byte[]> accountKeys,
      Map<String, byte[]> purchaseKeys,
      Map<String, EventKey> eventKeys,
      Map<String, String> traces,
      Instant at) {
    List<NewTicket> tickets = new ArrayList<>();
    for (ReservationConfirmed confirmed : issuing) {
      EventKey eventKey = eventKeys.get(confirmed.getEventId());
      byte[] accountKey = accountKeys.get(confirmed.getCustomerId());
      byte[] purchaseKey = purchaseKeys.get(confirmed.getReservationId());
      for (int seat = 1; seat <= confirmed.getSeats(); seat++) {
        String ticketId = "t-" + UUID.randomUUID();
        byte[] finalKey = TicketKeys.finalKey(accountKey, purchaseKey, ticketId);
        tickets.add(
            new NewTicket(
                ticketId,
                confirmed,
                seat,
                eventKey,
                TicketPayload.fingerprint(finalKey),
                forGate.seal(RotatingCode.key(finalKey)),
                placeOf(confirmed, seat)));
      }
    }
    return database
        .sql(
            "INSERT INTO tickets ("
                + COLUMNS
                + ") SELECT t, r, e, o, c, s, k, f, 'ISSUED', NULL, $9, ss, sr, sl FROM"
                + " unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],"
                + " $7::text[], $8::text[], $10::text[], $11::text[], $12::text[])"
                + " AS n(t, r, e, o, c, s, k, f, ss, sr, sl)"
                + " ON CONFLICT (reservation_id, seat_index, generation) DO NOTHING"
                + " RETURNING ticket_id")
        .bind(0, tickets.stream().map(NewTicket::ticketId).toArray(String[]::new))
        .bind(1, tickets.stream().map(t -> t.confirmed().getReservationId()).toArray(String[]::new))
        .bind(2, tickets.stream().map(t -> t.confirmed().getEventId()).toArray(String[]::new))
        .bind(3, tickets.stream().map(t -> t.confirmed().getOfferId()).toArray(String[]::new))
        .bind(4, tickets.stream().map(t -> t.confirmed().getCustomerId()).toArray(String[]::new))
        .bind(5, tickets.stream().map(NewTicket::seat).toArray(Integer[]::new))
        .bind(6, tickets.stream().map(t -> t.key().keyId()).toArray(String[]::new))
        .bind(7, tickets.stream().map(NewTicket::fingerprint).toArray(String[]::new))
        .bind(8, utc(at))
        .bind(
            9,
            tickets.stream()
                .map(t -> t.place() == null ? null : t.place().section())
                .toArray(String[]::new))
        .bind(
            10,
            tickets.stream()
                .map(t -> t.place() == null ? null : t.place().row())
                .toArray(String[]::new))
        .bind(
            11,
            tickets.stream()
                .map(t -> t.place() == null ? null : t.place().seat())
                .toArray(String[]::new))
        .map(row -> row.get("ticket_id", String.class))
        .all()
        .collect(Collectors.toSet())
        .flatMap(
            written ->
                outbox.appendAll(
                    tickets.stream()
                        .filter(ticket -> written.contains(ticket.ticketId()))
                        .map(
                            ticket ->
                                new Outbox.Keyed(
                                    ticket.ticketId(),
                                    issued(ticket, at),
                                    trace(traces, ticket.confirmed().getReservationId())))
                        .toList()));
  }

  private static TicketIssued issued(NewTicket ticket, Instant at) {
    ReservationConfirmed confirmed = ticket.confirmed();
    return TicketIssued.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(at)
        .setTicketId(ticket.ticketId())
        .setReservationId(confirmed.getReservationId())
        .setEventId(confirmed.getEventId())
        .setOfferId(confirmed.getOfferId())
        .setCustomerId(confirmed.getCustomerId())
        .setSeatIndex(ticket.seat())
        .setSigningKeyId(ticket.key().keyId())
        .setKeyFingerprint(ticket.fingerprint())
        .setSigningPublicKey(ticket.key().publicKey())
        .setSealedCodeKey(ByteBuffer.wrap(ticket.sealedCodeKey()))
        .setSeat(seatOf(ticket.place()))
        .build();
  }

  /**
   * The seat of a reservation's ticket number {@code index} (from 1): the confirmation's seats in
   * order, one per ticket; none for general admission (or a confirmation naming another number of
   * seats, which the allocator never sends).
   */
  private static Ticket.Seat placeOf(ReservationConfirmed confirmed, int index) {
    List<io.guichet.events.booking.SoldSeat> seats = confirmed.getAssignedSeats();
    if (seats.size() != confirmed.getSeats()) {
      return null;
    }
    io.guichet.events.booking.SoldSeat seat = seats.get(index - 1);
    return new Ticket.Seat(seat.getSection(), seat.getRow(), seat.getSeat());
  }

  private static TicketSeat seatOf(Ticket.Seat place) {
    return place == null ? null : new TicketSeat(place.section(), place.row(), place.seat());
  }

  /**
   * The secrets kept under these ids, those missing created (and sealed) now: three statements
   * whatever their number (what is there, the missing ones inserted, then read back, since another
   * instance may have inserted one meanwhile).
   */
  private Mono<Map<String, byte[]>> secrets(String table, String column, Collection<String> ids) {
    String select =
        "SELECT " + column + " AS id, sealed_key FROM " + table + " WHERE " + column + " = ANY($1)";
    Function<Collection<String>, Mono<Map<String, byte[]>>> read =
        wanted ->
            database
                .sql(select)
                .bind(0, wanted.toArray(String[]::new))
                .map(
                    row ->
                        Map.entry(
                            row.get("id", String.class),
                            box.open(row.get("sealed_key", byte[].class))))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    return read.apply(ids)
        .flatMap(
            kept -> {
              List<String> missing = ids.stream().filter(id -> !kept.containsKey(id)).toList();
              if (missing.isEmpty()) {
                return Mono.just(kept);
              }
              Base64.Encoder base64 = Base64.getEncoder();
              return database
                  .sql(
                      "INSERT INTO "
                          + table
                          + " ("
                          + column
                          + ", sealed_key) SELECT i, decode(k, 'base64') FROM"
                          + " unnest($1::text[], $2::text[]) AS n(i, k) ON CONFLICT DO NOTHING")
                  .bind(0, missing.toArray(String[]::new))
                  .bind(
                      1,
                      missing.stream()
                          .map(id -> base64.encodeToString(box.seal(TicketKeys.newKey())))
                          .toArray(String[]::new))
                  .then()
                  .then(read.apply(missing))
                  .map(
                      created -> {
                        Map<String, byte[]> all = new HashMap<>(kept);
                        all.putAll(created);
                        return all;
                      });
            });
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

  /** What an organizer allows for an event's tickets. */
  public record Policy(boolean staticCodes, boolean transfers) {}

  /** Records what these events' organizers allow (the last word of each). */
  public Mono<Void> policies(Map<String, Policy> policies) {
    if (policies.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO event_code_policies (event_id, static_codes, transfers) SELECT * FROM"
                + " unnest($1::text[], $2::boolean[], $3::boolean[]) ON CONFLICT (event_id)"
                + " DO UPDATE SET static_codes = EXCLUDED.static_codes,"
                + " transfers = EXCLUDED.transfers")
        .bind(0, policies.keySet().toArray(String[]::new))
        .bind(1, policies.values().stream().map(Policy::staticCodes).toArray(Boolean[]::new))
        .bind(2, policies.values().stream().map(Policy::transfers).toArray(Boolean[]::new))
        .then();
  }

  /** Records accounts' email addresses (an address changed is the last one recorded). */
  public Mono<Void> accounts(Map<String, String> emails) {
    if (emails.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO account_emails (account_id, email) SELECT * FROM"
                + " unnest($1::text[], $2::text[]) ON CONFLICT (account_id)"
                + " DO UPDATE SET email = EXCLUDED.email")
        .bind(0, emails.keySet().toArray(String[]::new))
        .bind(1, emails.values().toArray(String[]::new))
        .then();
  }

  /** The account's email address, if ticketing has heard of the account. */
  public Mono<String> emailOf(String accountId) {
    return database
        .sql("SELECT email FROM account_emails WHERE account_id = $1")
        .bind(0, accountId)
        .map(row -> row.get("email", String.class))
        .one();
  }

  /** Records tickets a gate let in. */
  public Mono<Void> used(Set<String> ticketIds) {
    if (ticketIds.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO used_tickets (ticket_id) SELECT unnest($1::text[])"
                + " ON CONFLICT DO NOTHING")
        .bind(0, ticketIds.toArray(String[]::new))
        .then();
  }

  /** Whether a gate let the ticket in. */
  public Mono<Boolean> isUsed(String ticketId) {
    return database
        .sql("SELECT 1 AS used FROM used_tickets WHERE ticket_id = $1")
        .bind(0, ticketId)
        .map(row -> true)
        .one()
        .defaultIfEmpty(false);
  }

  /**
   * Hands a ticket over, in the caller's transaction: revokes it (TRANSFERRED) and issues the next
   * ticket of its seat to {@code recipient}, with a purchase key of its own (kept under {@code
   * transferId}) and the recipient's account key, so that no key of the old ticket works for the
   * new one; with their TicketRevoked and TicketIssued in the outbox. Empty if the ticket is no
   * longer valid (revoked meanwhile): nothing is written.
   */
  public Mono<Ticket> transfer(Ticket old, String transferId, String recipient, Instant at) {
    return database
        .sql(
            "UPDATE tickets SET status = 'REVOKED', revoke_reason = $2 WHERE ticket_id = $1"
                + " AND status = 'ISSUED' RETURNING "
                + READ)
        .bind(0, old.ticketId())
        .bind(1, RevocationReason.TRANSFERRED.name())
        .map(row -> ticket(row))
        .one()
        .flatMap(
            revoked ->
                Mono.zip(
                        secrets("account_keys", "customer_id", List.of(recipient)),
                        secrets("purchase_keys", "reservation_id", List.of(transferId)),
                        eventKey(revoked.eventId()))
                    .flatMap(
                        keys ->
                            handOver(
                                revoked,
                                transferId,
                                recipient,
                                keys.getT1().get(recipient),
                                keys.getT2().get(transferId),
                                keys.getT3(),
                                at)));
  }

  private Mono<Ticket> handOver(
      Ticket revoked,
      String transferId,
      String recipient,
      byte[] accountKey,
      byte[] purchaseKey,
      EventKey eventKey,
      Instant at) {
    String ticketId = "t-" + UUID.randomUUID();
    byte[] finalKey = TicketKeys.finalKey(accountKey, purchaseKey, ticketId);
    Ticket next =
        new Ticket(
            ticketId,
            revoked.reservationId(),
            revoked.eventId(),
            revoked.offerId(),
            recipient,
            revoked.seatIndex(),
            eventKey.keyId(),
            TicketPayload.fingerprint(finalKey),
            Ticket.Status.ISSUED,
            null,
            at,
            revoked.generation() + 1,
            transferId,
            revoked.ticketId(),
            revoked.seat());
    TicketIssued issued =
        TicketIssued.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(at)
            .setTicketId(ticketId)
            .setReservationId(next.reservationId())
            .setEventId(next.eventId())
            .setOfferId(next.offerId())
            .setCustomerId(recipient)
            .setSeatIndex(next.seatIndex())
            .setSigningKeyId(eventKey.keyId())
            .setKeyFingerprint(next.keyFingerprint())
            .setSigningPublicKey(eventKey.publicKey())
            .setSealedCodeKey(ByteBuffer.wrap(forGate.seal(RotatingCode.key(finalKey))))
            .setTransferredFrom(revoked.ticketId())
            .setSeat(seatOf(revoked.seat()))
            .build();
    return database
        .sql(
            "INSERT INTO tickets ("
                + COLUMNS
                + ", generation, purchase_id, transferred_from) VALUES ($1, $2, $3, $4, $5, $6,"
                + " $7, $8, 'ISSUED', NULL, $9, $13, $14, $15, $10, $11, $12)")
        .bind(0, ticketId)
        .bind(1, next.reservationId())
        .bind(2, next.eventId())
        .bind(3, next.offerId())
        .bind(4, recipient)
        .bind(5, next.seatIndex())
        .bind(6, next.keyId())
        .bind(7, next.keyFingerprint())
        .bind(8, utc(at))
        .bind(9, next.generation())
        .bind(10, transferId)
        .bind(11, revoked.ticketId())
        .bind(12, nullable(next.seat() == null ? null : next.seat().section()))
        .bind(13, nullable(next.seat() == null ? null : next.seat().row()))
        .bind(14, nullable(next.seat() == null ? null : next.seat().seat()))
        .then()
        .then(
            outbox.appendAll(
                List.of(
                    new Outbox.Keyed(
                        revoked.ticketId(), revocation(revoked, RevocationReason.TRANSFERRED, at)),
                    new Outbox.Keyed(ticketId, issued))))
        .thenReturn(next);
  }

  /**
   * What the event's organizer allows (both, for an event not heard of, as before the settings).
   */
  public Mono<Policy> policy(String eventId) {
    return database
        .sql("SELECT static_codes, transfers FROM event_code_policies WHERE event_id = $1")
        .bind(0, eventId)
        .map(
            row ->
                new Policy(
                    Boolean.TRUE.equals(row.get("static_codes", Boolean.class)),
                    Boolean.TRUE.equals(row.get("transfers", Boolean.class))))
        .one()
        .defaultIfEmpty(new Policy(true, true));
  }

  /** Which of these events are recorded as cancelled. */
  private Mono<Set<String>> cancelledOf(Collection<String> eventIds) {
    return database
        .sql("SELECT event_id FROM cancelled_events WHERE event_id = ANY($1)")
        .bind(0, eventIds.toArray(String[]::new))
        .map(row -> row.get("event_id", String.class))
        .all()
        .collect(Collectors.toSet());
  }

  /** The trace context kept for an id, or null (empty: none known) for the one in force. */
  private static String trace(Map<String, String> traces, String id) {
    String trace = traces.get(id);
    return trace == null || trace.isEmpty() ? null : trace;
  }

  /**
   * Revokes the tickets of these reservations (their payments were refunded).
   *
   * @param traces the reservations to revoke, each with the trace context of its revocations
   */
  public Mono<Void> revokeReservations(Map<String, String> traces, Instant at) {
    return revoke(Revocation.REFUND, traces, at);
  }

  /**
   * Revokes every ticket of these events, and issues none for them any more.
   *
   * @param traces the cancelled events, each with the trace context of its revocations
   */
  public Mono<Void> revokeEvents(Map<String, String> traces, Instant at) {
    if (traces.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO cancelled_events (event_id) SELECT unnest($1::text[])"
                + " ON CONFLICT DO NOTHING")
        .bind(0, traces.keySet().toArray(String[]::new))
        .then()
        .then(revoke(Revocation.EVENT_CANCELLED, traces, at));
  }

  /** What a revocation is about: the column it selects tickets by, that id of a ticket, why. */
  private enum Revocation {
    REFUND("reservation_id", Ticket::reservationId, RevocationReason.REFUNDED),
    EVENT_CANCELLED("event_id", Ticket::eventId, RevocationReason.EVENT_CANCELLED);

    final String column;
    final Function<Ticket, String> id;
    final RevocationReason reason;

    Revocation(String column, Function<Ticket, String> id, RevocationReason reason) {
      this.column = column;
      this.id = id;
      this.reason = reason;
    }
  }

  private Mono<Void> revoke(Revocation revocation, Map<String, String> traces, Instant at) {
    if (traces.isEmpty()) {
      return Mono.empty();
    }
    RevocationReason reason = revocation.reason;
    return database
        .sql(
            "UPDATE tickets SET status = 'REVOKED', revoke_reason = $2 WHERE "
                + revocation.column
                + " = ANY($1) AND status = 'ISSUED' RETURNING "
                + READ)
        .bind(0, traces.keySet().toArray(String[]::new))
        .bind(1, reason.name())
        .map(row -> ticket(row))
        .all()
        .collectList()
        .flatMap(
            revoked ->
                outbox.appendAll(
                    revoked.stream()
                        .map(
                            ticket ->
                                new Outbox.Keyed(
                                    ticket.ticketId(),
                                    revocation(ticket, reason, at),
                                    trace(traces, revocation.id.apply(ticket))))
                        .toList()));
  }

  /** Announces a transfer offer (for the recipient's email), in the caller's transaction. */
  public Mono<Void> announce(Transfer transfer, Ticket ticket) {
    return outbox.append(
        ticket.ticketId(),
        TicketTransferOffered.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(transfer.offeredAt())
            .setTransferId(transfer.transferId())
            .setTicketId(ticket.ticketId())
            .setReservationId(ticket.reservationId())
            .setEventId(ticket.eventId())
            .setCustomerId(ticket.customerId())
            .setRecipientEmail(transfer.toEmail())
            .build());
  }

  private static TicketRevoked revocation(Ticket ticket, RevocationReason reason, Instant at) {
    return TicketRevoked.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(at)
        .setTicketId(ticket.ticketId())
        .setReservationId(ticket.reservationId())
        .setEventId(ticket.eventId())
        .setCustomerId(ticket.customerId())
        .setReason(reason)
        .build();
  }

  public Mono<Ticket> ticket(String ticketId) {
    return database
        .sql("SELECT " + READ + " FROM tickets WHERE ticket_id = $1")
        .bind(0, ticketId)
        .map(row -> ticket(row))
        .one();
  }

  public Flux<Ticket> ofReservation(String reservationId) {
    return database
        .sql(
            "SELECT "
                + READ
                + " FROM tickets WHERE reservation_id = $1 ORDER BY seat_index, generation")
        .bind(0, reservationId)
        .map(row -> ticket(row))
        .all();
  }

  /** The ticket's static signed QR payload (GT1, with its final key), made from its keys. */
  public Mono<String> payload(Ticket ticket) {
    return keys(ticket)
        .map(
            keys ->
                new TicketPayload(
                        ticket.ticketId(),
                        ticket.eventId(),
                        ticket.offerId(),
                        ticket.keyId(),
                        keys.finalKey())
                    .sign(keys.eventKey()));
  }

  /**
   * What the buyer's device needs to show the ticket's rotating code: the signed card and the
   * ticket's code key (never stored: made from the keys).
   */
  public record Wallet(String card, byte[] codeKey) {}

  public Mono<Wallet> wallet(Ticket ticket) {
    return keys(ticket)
        .map(
            keys ->
                new Wallet(
                    new TicketCard(
                            ticket.ticketId(), ticket.eventId(), ticket.offerId(), ticket.keyId())
                        .sign(keys.eventKey()),
                    RotatingCode.key(keys.finalKey())));
  }

  /** A ticket's final key and its event's private key. */
  private record Keys(byte[] finalKey, PrivateKey eventKey) {}

  private Mono<Keys> keys(Ticket ticket) {
    return database
        .sql(
            "SELECT a.sealed_key AS account, p.sealed_key AS purchase, e.sealed_private"
                + " FROM account_keys a, purchase_keys p, event_keys e"
                + " WHERE a.customer_id = $1 AND p.reservation_id = $2 AND e.event_id = $3")
        .bind(0, ticket.customerId())
        .bind(1, ticket.purchaseId())
        .bind(2, ticket.eventId())
        .map(
            row ->
                new Keys(
                    TicketKeys.finalKey(
                        box.open(row.get("account", byte[].class)),
                        box.open(row.get("purchase", byte[].class)),
                        ticket.ticketId()),
                    privateKey(box.open(row.get("sealed_private", byte[].class)))))
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
        row.get("issued_at", OffsetDateTime.class).toInstant(),
        row.get("generation", Integer.class),
        row.get("purchase_id", String.class),
        row.get("transferred_from", String.class),
        row.get("seat_label", String.class) == null
            ? null
            : new Ticket.Seat(
                row.get("seat_section", String.class),
                row.get("seat_row", String.class),
                row.get("seat_label", String.class)));
  }

  /** A text parameter that may be null. */
  private static org.springframework.r2dbc.core.Parameter nullable(String value) {
    return org.springframework.r2dbc.core.Parameter.fromOrEmpty(value, String.class);
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
