package io.guichet.gate.application;

import io.guichet.gate.domain.GateTicket;
import io.guichet.gate.domain.ScanResult;
import java.util.List;
import java.util.Map;
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

  /** Runs this work in one transaction (the calls above join it). */
  <T> Mono<T> atomically(Mono<T> work);

  /**
   * Records that this offline scan is being synced: true the first time, false if it was synced
   * before (its verdict is then {@link #offlineVerdict}).
   */
  Mono<Boolean> claimOffline(String scanId, String device);

  /** Keeps the verdict of a claimed offline scan, for a later sync of the same scan. */
  Mono<ScanResult> settleOffline(ScanResult verdict);

  Mono<ScanResult> offlineVerdict(String scanId);

  /**
   * What an offline scanner needs for an event: its keys, its revoked tickets, the tickets already
   * used, each ticket's rotating-code key (Base64url; none for tickets issued before them), and
   * whether its tickets may be shown as a static code.
   */
  record Bundle(
      String eventId,
      List<EventKey> keys,
      List<String> revokedTickets,
      List<String> usedTickets,
      Map<String, String> codeKeys,
      boolean staticCodesAllowed) {}

  Mono<Bundle> bundle(String eventId);
}
