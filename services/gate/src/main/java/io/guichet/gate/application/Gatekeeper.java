package io.guichet.gate.application;

import io.guichet.gate.domain.GateTicket;
import io.guichet.gate.domain.ScanResult;
import io.guichet.gate.domain.ScanResult.Outcome;
import io.guichet.gate.domain.ScanResult.Reason;
import io.guichet.platform.tickets.TicketPayload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Decides scans. A payload is checked in this order: its signature by the key it names (FORGED if
 * the key is unknown, the signature wrong, or the key another event's); the gate's event
 * (WRONG_EVENT for a genuine ticket of another event); the ticket's current key fingerprint
 * (FORGED); revocation (REVOKED); then the ticket is used, once: of any number of simultaneous
 * scans, one is ACCEPTED and the others are ALREADY_USED with the first scan's time and gate. Every
 * scan is published as TicketScanned.
 */
public final class Gatekeeper {

  private final GateStore store;
  private final Clock clock;

  /** Parsed public keys by key id: an event's key never changes, and doors open in a rush. */
  private final Map<String, PublicKey> publicKeys = new ConcurrentHashMap<>();

  public Gatekeeper(GateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * @param payload the QR code's text, already known to be a readable payload
   * @param gateEvent the event this gate admits to, or null for any event
   */
  public Mono<ScanResult> scan(
      String payloadText, TicketPayload payload, String gate, String gateEvent) {
    Instant now = clock.instant();
    String scanId = UUID.randomUUID().toString();
    return store
        .eventKey(payload.keyId())
        .map(key -> signatureProblem(payloadText, payload, key))
        .defaultIfEmpty(Optional.of("signed by an unknown key"))
        .flatMap(
            forged -> {
              if (forged.isPresent()) {
                return reject(scanId, payload, gate, Reason.FORGED, forged.get(), now);
              }
              if (gateEvent != null && !gateEvent.equals(payload.eventId())) {
                return reject(
                    scanId,
                    payload,
                    gate,
                    Reason.WRONG_EVENT,
                    "a ticket for event " + payload.eventId(),
                    now);
              }
              return store
                  .ticket(payload.ticketId())
                  .flatMap(ticket -> decide(scanId, payload, ticket, gate, now))
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              reject(
                                  scanId,
                                  payload,
                                  gate,
                                  Reason.OTHER,
                                  "the gate does not know this ticket yet",
                                  now)));
            });
  }

  /** A payload of a ticket's shape whose claims cannot be read: FORGED. */
  public Mono<ScanResult> unreadable(String gate) {
    Instant now = clock.instant();
    return record(
        new ScanResult(
            UUID.randomUUID().toString(),
            null,
            null,
            gate,
            Outcome.REJECTED,
            Reason.FORGED,
            "the payload's claims cannot be read",
            null,
            null,
            now));
  }

  private Optional<String> signatureProblem(
      String payloadText, TicketPayload payload, GateStore.EventKey key) {
    PublicKey publicKey =
        publicKeys.computeIfAbsent(key.keyId(), id -> TicketPayload.publicKey(key.publicKey()));
    if (!TicketPayload.verifies(payloadText, publicKey)) {
      return Optional.of("the signature does not match the payload");
    }
    if (!key.eventId().equals(payload.eventId())) {
      return Optional.of("signed by another event's key");
    }
    return Optional.empty();
  }

  private Mono<ScanResult> decide(
      String scanId, TicketPayload payload, GateTicket ticket, String gate, Instant now) {
    boolean currentKey =
        MessageDigest.isEqual(
            TicketPayload.fingerprint(payload.finalKey()).getBytes(StandardCharsets.US_ASCII),
            ticket.keyFingerprint().getBytes(StandardCharsets.US_ASCII));
    if (!currentKey || !ticket.eventId().equals(payload.eventId())) {
      return reject(scanId, payload, gate, Reason.FORGED, "not the ticket's current key", now);
    }
    if (ticket.revoked()) {
      return reject(scanId, payload, gate, Reason.REVOKED, "the ticket was revoked", now);
    }
    ScanResult accepted =
        new ScanResult(
            scanId,
            ticket.ticketId(),
            ticket.eventId(),
            gate,
            Outcome.ACCEPTED,
            null,
            null,
            null,
            null,
            now);
    return store
        .use(accepted)
        .flatMap(
            used ->
                used
                    ? Mono.just(accepted)
                    // Another scan got there first (or it was revoked meanwhile): say which.
                    : store
                        .ticket(ticket.ticketId())
                        .flatMap(
                            current ->
                                current.revoked() && current.firstScannedAt() == null
                                    ? reject(
                                        scanId,
                                        payload,
                                        gate,
                                        Reason.REVOKED,
                                        "the ticket was revoked",
                                        now)
                                    : record(
                                        new ScanResult(
                                            scanId,
                                            ticket.ticketId(),
                                            ticket.eventId(),
                                            gate,
                                            Outcome.REJECTED,
                                            Reason.ALREADY_USED,
                                            "already used",
                                            current.firstScannedAt(),
                                            current.firstGate(),
                                            now))));
  }

  private Mono<ScanResult> reject(
      String scanId,
      TicketPayload payload,
      String gate,
      Reason reason,
      String detail,
      Instant now) {
    boolean trusted = reason != Reason.FORGED;
    return record(
        new ScanResult(
            scanId,
            trusted ? payload.ticketId() : null,
            trusted ? payload.eventId() : null,
            gate,
            Outcome.REJECTED,
            reason,
            detail,
            null,
            null,
            now));
  }

  private Mono<ScanResult> record(ScanResult rejected) {
    return store.record(rejected).thenReturn(rejected);
  }

  public Mono<GateStore.Bundle> bundle(String eventId) {
    return store.bundle(eventId);
  }
}
