package io.guichet.gate.application;

import io.guichet.gate.domain.GateTicket;
import io.guichet.gate.domain.ScanResult;
import java.util.List;
import reactor.core.publisher.Mono;

/** The gate's tables. */
public interface GateStore {

  /** An event's signing key, as published by ticketing. */
  record EventKey(String keyId, String eventId, String publicKey) {}

  Mono<EventKey> eventKey(String keyId);

  Mono<GateTicket> ticket(String ticketId);

  /**
   * Marks the ticket used by this scan if it is issued and unused (under its row's lock) and
   * publishes the scan, in one transaction; answers whether it was this scan that used it.
   */
  Mono<Boolean> use(ScanResult accepted);

  /** Publishes a rejected scan (TicketScanned). */
  Mono<Void> record(ScanResult rejected);

  /** What an offline scanner needs for an event: its keys and its revoked tickets. */
  record Bundle(String eventId, List<EventKey> keys, List<String> revokedTickets) {}

  Mono<Bundle> bundle(String eventId);
}
