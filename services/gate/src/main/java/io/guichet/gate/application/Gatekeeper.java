package io.guichet.gate.application;

import io.guichet.gate.domain.GateTicket;
import io.guichet.gate.domain.ScanResult;
import io.guichet.gate.domain.ScanResult.Outcome;
import io.guichet.gate.domain.ScanResult.Reason;
import io.guichet.platform.tickets.RotatingCode;
import io.guichet.platform.tickets.TicketCard;
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
 * Decides scans of static codes (GT1) and rotating codes (GT2). A code is checked in this order:
 * its signature by the key it names (FORGED if the key is unknown, the signature wrong, or the key
 * another event's); the gate's event (WRONG_EVENT for a genuine ticket of another event); that it
 * holds the ticket's current secret (a static code: its final key's fingerprint, FORGED; a rotating
 * code: the code of its step, FORGED, for a step near now, EXPIRED_CODE); revocation (REVOKED);
 * then the ticket is used, once: of any number of simultaneous scans, one is ACCEPTED and the
 * others are ALREADY_USED with the first scan's time and gate. Every scan is published as
 * TicketScanned.
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

  /** What a presented text claims (read, not trusted), and its signed part. */
  private record Claims(String signed, String ticketId, String eventId, String keyId) {}

  /** Why a presentation does not hold the ticket's current secret. */
  private record Rejection(Reason reason, String detail) {}

  /** Whether a presentation holds the ticket's current secret, at the scan's time. */
  private interface SecretCheck {
    Optional<Rejection> check(GateTicket ticket, Instant now);
  }

  /**
   * A static code (GT1): its final key must be the ticket's current one.
   *
   * @param payloadText the QR code's text, already known to be a readable payload
   * @param gateEvent the event this gate admits to, or null for any event
   */
  public Mono<ScanResult> scan(
      String payloadText, TicketPayload payload, String gate, String gateEvent) {
    return scan(
        new Claims(payloadText, payload.ticketId(), payload.eventId(), payload.keyId()),
        (ticket, now) ->
            MessageDigest.isEqual(
                    TicketPayload.fingerprint(payload.finalKey())
                        .getBytes(StandardCharsets.US_ASCII),
                    ticket.keyFingerprint().getBytes(StandardCharsets.US_ASCII))
                ? Optional.empty()
                : Optional.of(new Rejection(Reason.FORGED, "not the ticket's current key")),
        gate,
        gateEvent);
  }

  /**
   * A rotating code (GT2): the code of its step for the ticket's current code key, and that step
   * within {@link RotatingCode#TOLERANCE_STEPS} of the gate's clock (EXPIRED_CODE otherwise).
   *
   * @param gateEvent the event this gate admits to, or null for any event
   */
  public Mono<ScanResult> scan(TicketCard.Presented code, String gate, String gateEvent) {
    TicketCard card = code.card();
    return scan(
        new Claims(code.signed(), card.ticketId(), card.eventId(), card.keyId()),
        (ticket, now) -> {
          if (ticket.codeKey() == null) {
            return Optional.of(
                new Rejection(
                    Reason.OTHER,
                    "the ticket was issued before rotating codes: show its static code"));
          }
          return switch (RotatingCode.check(ticket.codeKey(), code.step(), code.code(), now)) {
            case VALID -> Optional.empty();
            case EXPIRED ->
                Optional.of(
                    new Rejection(
                        Reason.EXPIRED_CODE,
                        "the code is "
                            + (RotatingCode.step(now) - code.step()) * RotatingCode.PERIOD_SECONDS
                            + " s old (a screenshot?): show the live code"));
            case TOO_EARLY ->
                Optional.of(
                    new Rejection(
                        Reason.EXPIRED_CODE,
                        "the code is for a later time: the showing device's clock is ahead"));
            case WRONG ->
                Optional.of(new Rejection(Reason.FORGED, "not the ticket's current time code"));
          };
        },
        gate,
        gateEvent);
  }

  private Mono<ScanResult> scan(Claims claims, SecretCheck secret, String gate, String gateEvent) {
    Instant now = clock.instant();
    String scanId = UUID.randomUUID().toString();
    return store
        .eventKey(claims.keyId())
        .map(key -> signatureProblem(claims, key))
        .defaultIfEmpty(Optional.of("signed by an unknown key"))
        .flatMap(
            forged -> {
              if (forged.isPresent()) {
                return reject(scanId, claims, gate, Reason.FORGED, forged.get(), now);
              }
              if (gateEvent != null && !gateEvent.equals(claims.eventId())) {
                return reject(
                    scanId,
                    claims,
                    gate,
                    Reason.WRONG_EVENT,
                    "a ticket for event " + claims.eventId(),
                    now);
              }
              return store
                  .ticket(claims.ticketId())
                  .flatMap(ticket -> decide(scanId, claims, secret, ticket, gate, now))
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              reject(
                                  scanId,
                                  claims,
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

  private Optional<String> signatureProblem(Claims claims, GateStore.EventKey key) {
    PublicKey publicKey =
        publicKeys.computeIfAbsent(key.keyId(), id -> TicketPayload.publicKey(key.publicKey()));
    if (!TicketPayload.verifies(claims.signed(), publicKey)) {
      return Optional.of("the signature does not match the payload");
    }
    if (!key.eventId().equals(claims.eventId())) {
      return Optional.of("signed by another event's key");
    }
    return Optional.empty();
  }

  private Mono<ScanResult> decide(
      String scanId,
      Claims claims,
      SecretCheck secret,
      GateTicket ticket,
      String gate,
      Instant now) {
    if (!ticket.eventId().equals(claims.eventId())) {
      return reject(scanId, claims, gate, Reason.FORGED, "not the ticket's event", now);
    }
    Optional<Rejection> stale = secret.check(ticket, now);
    if (stale.isPresent()) {
      return reject(scanId, claims, gate, stale.get().reason(), stale.get().detail(), now);
    }
    if (ticket.revoked()) {
      return reject(scanId, claims, gate, Reason.REVOKED, "the ticket was revoked", now);
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
                                        claims,
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
      String scanId, Claims claims, String gate, Reason reason, String detail, Instant now) {
    boolean trusted = reason != Reason.FORGED;
    return record(
        new ScanResult(
            scanId,
            trusted ? claims.ticketId() : null,
            trusted ? claims.eventId() : null,
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
