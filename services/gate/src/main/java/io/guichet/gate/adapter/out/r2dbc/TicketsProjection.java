package io.guichet.gate.adapter.out.r2dbc;

import io.guichet.events.ticketing.TicketIssued;
import io.guichet.events.ticketing.TicketRevoked;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Projects {@code ticketing.tickets} into the gate's tables: each ticket's event, signing key and
 * key fingerprint, and its revocation; each event's public keys. Positions commit with the rows.
 */
public final class TicketsProjection {

  private final DatabaseClient database;

  public TicketsProjection(DatabaseClient database) {
    this.database = database;
  }

  /** Writes one event's change (the caller runs it in the batch's transaction). */
  public Mono<Void> project(SpecificRecord event) {
    if (event instanceof TicketIssued issued) {
      if (issued.getKeyFingerprint() == null || issued.getSigningPublicKey() == null) {
        // Written before tickets carried their key fingerprint: nothing a gate can check.
        return Mono.empty();
      }
      return database
          .sql(
              "INSERT INTO event_keys (key_id, event_id, public_key) VALUES ($1, $2, $3)"
                  + " ON CONFLICT (key_id) DO NOTHING")
          .bind(0, issued.getSigningKeyId())
          .bind(1, issued.getEventId())
          .bind(2, issued.getSigningPublicKey())
          .then()
          .then(
              database
                  .sql(
                      "INSERT INTO gate_tickets (ticket_id, event_id, key_id, key_fingerprint,"
                          + " status) VALUES ($1, $2, $3, $4, 'ISSUED')"
                          + " ON CONFLICT (ticket_id) DO NOTHING")
                  .bind(0, issued.getTicketId())
                  .bind(1, issued.getEventId())
                  .bind(2, issued.getSigningKeyId())
                  .bind(3, issued.getKeyFingerprint())
                  .then());
    }
    if (event instanceof TicketRevoked revoked) {
      return database
          .sql("UPDATE gate_tickets SET status = 'REVOKED' WHERE ticket_id = $1")
          .bind(0, revoked.getTicketId())
          .then();
    }
    return Mono.empty();
  }
}
