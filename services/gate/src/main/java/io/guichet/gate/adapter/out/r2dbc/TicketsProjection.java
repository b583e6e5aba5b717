package io.guichet.gate.adapter.out.r2dbc;

import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Projects {@code ticketing.tickets} into the gate's tables: each ticket's event, signing key, key
 * fingerprint and sealed rotating-code key, and its revocation; each event's public keys. And from
 * {@code catalog.events}, whether each event's tickets may be shown as a static code. Positions
 * commit with the rows.
 *
 * <p>A poll's events are written together, three statements whatever their number: the keys, the
 * tickets, then the revocations. That order gives what the events give one by one: a ticket is
 * revoked after it was issued (both on one partition, in order), and an issue or a revocation
 * delivered again changes nothing.
 *
 * <p>A ticket issued on a transfer ({@code transferredFrom}) revokes the ticket it replaces in the
 * same statement, whatever the order its revocation arrives in (the two are keyed by different
 * tickets, so on different partitions), and carries over its use: a ticket let in just before its
 * transfer was accepted stays used under its new id. The update takes the old ticket's row lock, so
 * a scan of the old ticket either came first (its use is carried over) or finds it revoked.
 */
public final class TicketsProjection {

  private final DatabaseClient database;

  public TicketsProjection(DatabaseClient database) {
    this.database = database;
  }

  /** Writes a poll's events (the caller runs it in the batch's transaction, with its positions). */
  public Mono<Void> project(List<SpecificRecord> events) {
    List<TicketIssued> issued = new ArrayList<>();
    List<String> revoked = new ArrayList<>();
    // From catalog.events: the last word of each event in the poll on static codes.
    Map<String, Boolean> staticCodes = new LinkedHashMap<>();
    for (SpecificRecord event : events) {
      if (event instanceof EventScheduled scheduled) {
        staticCodes.put(scheduled.getEventId(), scheduled.getStaticCodesAllowed());
      }
      if (event instanceof TicketIssued ticket
          && ticket.getKeyFingerprint() != null
          && ticket.getSigningPublicKey() != null) {
        // (Written before tickets carried their key fingerprint: nothing a gate can check.)
        issued.add(ticket);
      } else if (event instanceof TicketRevoked revocation) {
        revoked.add(revocation.getTicketId());
      }
    }
    return issue(issued).then(revoke(revoked)).then(staticCodes(staticCodes));
  }

  private Mono<Void> issue(List<TicketIssued> issued) {
    if (issued.isEmpty()) {
      return Mono.empty();
    }
    List<TicketIssued> purchased =
        issued.stream().filter(ticket -> ticket.getTransferredFrom() == null).toList();
    List<TicketIssued> transferred =
        issued.stream().filter(ticket -> ticket.getTransferredFrom() != null).toList();
    return database
        .sql(
            "INSERT INTO event_keys (key_id, event_id, public_key) SELECT * FROM"
                + " unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (key_id) DO NOTHING")
        .bind(0, issued.stream().map(TicketIssued::getSigningKeyId).toArray(String[]::new))
        .bind(1, issued.stream().map(TicketIssued::getEventId).toArray(String[]::new))
        .bind(2, issued.stream().map(TicketIssued::getSigningPublicKey).toArray(String[]::new))
        .then()
        .then(tickets(purchased))
        .then(transferred(transferred));
  }

  private Mono<Void> tickets(List<TicketIssued> issued) {
    if (issued.isEmpty()) {
      return Mono.empty();
    }
    return bind(
            database.sql(
                "INSERT INTO gate_tickets (ticket_id, event_id, key_id, key_fingerprint,"
                    + " status, sealed_code_key, seat) SELECT t, e, k, f, 'ISSUED',"
                    + " decode(c, 'base64'), s FROM unnest($1::text[], $2::text[], $3::text[],"
                    + " $4::text[], $5::text[], $6::text[]) AS i(t, e, k, f, c, s)"
                    + " ON CONFLICT (ticket_id) DO NOTHING"),
            issued)
        .bind(5, issued.stream().map(TicketsProjection::seat).toArray(String[]::new))
        .then();
  }

  /** Tickets issued on transfers: the old one revoked, its use (if any) carried over. */
  private Mono<Void> transferred(List<TicketIssued> issued) {
    if (issued.isEmpty()) {
      return Mono.empty();
    }
    return bind(
            database.sql(
                "WITH i AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
                    + " $5::text[], $6::text[], $7::text[]) AS i(t, e, k, f, c, p, s)),"
                    + " old AS (UPDATE gate_tickets SET status = 'REVOKED' WHERE ticket_id IN"
                    + " (SELECT p FROM i) RETURNING ticket_id, first_scanned_at, first_gate)"
                    + " INSERT INTO gate_tickets (ticket_id, event_id, key_id, key_fingerprint,"
                    + " status, sealed_code_key, first_scanned_at, first_gate, seat)"
                    + " SELECT i.t, i.e, i.k, i.f, 'ISSUED', decode(i.c, 'base64'),"
                    + " old.first_scanned_at, old.first_gate, i.s FROM i LEFT JOIN old"
                    + " ON old.ticket_id = i.p ON CONFLICT (ticket_id) DO NOTHING"),
            issued)
        .bind(5, issued.stream().map(TicketIssued::getTransferredFrom).toArray(String[]::new))
        .bind(6, issued.stream().map(TicketsProjection::seat).toArray(String[]::new))
        .then();
  }

  private static DatabaseClient.GenericExecuteSpec bind(
      DatabaseClient.GenericExecuteSpec spec, List<TicketIssued> issued) {
    return spec.bind(0, issued.stream().map(TicketIssued::getTicketId).toArray(String[]::new))
        .bind(1, issued.stream().map(TicketIssued::getEventId).toArray(String[]::new))
        .bind(2, issued.stream().map(TicketIssued::getSigningKeyId).toArray(String[]::new))
        .bind(3, issued.stream().map(TicketIssued::getKeyFingerprint).toArray(String[]::new))
        .bind(4, issued.stream().map(TicketsProjection::sealedCodeKey).toArray(String[]::new));
  }

  /** The seat as a steward reads it out ("Stalls A-6"), or null for general admission. */
  private static String seat(TicketIssued ticket) {
    return ticket.getSeat() == null
        ? null
        : ticket.getSeat().getSection()
            + " "
            + ticket.getSeat().getRow()
            + "-"
            + ticket.getSeat().getSeat();
  }

  /** The sealed code key in Base64 (arrays of bytea do not bind), or null when none. */
  private static String sealedCodeKey(TicketIssued ticket) {
    ByteBuffer sealed = ticket.getSealedCodeKey();
    if (sealed == null) {
      return null;
    }
    byte[] bytes = new byte[sealed.remaining()];
    sealed.duplicate().get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private Mono<Void> staticCodes(Map<String, Boolean> allowed) {
    if (allowed.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql(
            "INSERT INTO event_code_policies (event_id, static_codes) SELECT * FROM"
                + " unnest($1::text[], $2::boolean[]) ON CONFLICT (event_id) DO UPDATE SET"
                + " static_codes = EXCLUDED.static_codes")
        .bind(0, allowed.keySet().toArray(String[]::new))
        .bind(1, allowed.values().toArray(Boolean[]::new))
        .then();
  }

  private Mono<Void> revoke(List<String> ticketIds) {
    if (ticketIds.isEmpty()) {
      return Mono.empty();
    }
    return database
        .sql("UPDATE gate_tickets SET status = 'REVOKED' WHERE ticket_id = ANY($1::text[])")
        .bind(0, ticketIds.toArray(String[]::new))
        .then();
  }
}
