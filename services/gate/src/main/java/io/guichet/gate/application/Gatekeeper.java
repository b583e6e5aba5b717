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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Decides scans of rotating codes (GT2) and static codes (GT1). A code is checked in this order:
 * its signature by the key it names (FORGED if the key is unknown, the signature wrong, or the key
 * another event's); the gate's event (WRONG_EVENT for a genuine ticket of another event); that it
 * holds the ticket's current secret (a rotating code: the code of its step, FORGED, for a step near
 * the scan's time, EXPIRED_CODE; a static code: its final key's fingerprint, FORGED); revocation
 * (REVOKED); then the ticket is used, once: of any number of simultaneous scans, one is ACCEPTED
 * and the others are ALREADY_USED with the first scan's time and gate. Every scan is published as
 * TicketScanned.
 *
 * <p>Scans a device made offline are decided the same way when it syncs, at the time the device
 * scanned, each once whatever the number of syncs: one it let in is ACCEPTED if it was the ticket's
 * first use, DUPLICATE_OFFLINE if the ticket had been used before (the double entry offline mode
 * cannot prevent, reported), or the reason the server finds (a ticket revoked after the device's
 * bundle was made); one it refused is recorded as refused, for its reason.
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

  /** Whether the text has the shape of a ticket's code, rotating or static, genuine or not. */
  public static boolean isTicketCode(String text) {
    return TicketCard.wellFormed(text) || TicketPayload.wellFormed(text);
  }

  /**
   * One scan being decided.
   *
   * @param gateEvent the event the gate admits to, or null for any
   * @param device the offline device that made it, or null online
   * @param letIn for an offline scan, whether the device let the holder in
   */
  private record Scan(
      String scanId, Instant at, String gate, String gateEvent, String device, boolean letIn) {}

  /** What a presented text claims (read, not trusted), and its signed part. */
  private record Claims(String signed, String ticketId, String eventId, String keyId) {}

  /** Why a presentation does not hold the ticket's current secret. */
  private record Rejection(Reason reason, String detail) {}

  /** Whether a presentation holds the ticket's current secret, at the scan's time. */
  private interface SecretCheck {
    Optional<Rejection> check(GateTicket ticket, Instant at);
  }

  /** A presented code, read: its claims and how it proves the ticket's secret. */
  private record Presentation(Claims claims, SecretCheck secret) {}

  /**
   * An online scan: the verdict now.
   *
   * @param code the scanned text, known to be a ticket's code ({@link #isTicketCode})
   * @param gateEvent the event this gate admits to, or null for any event
   */
  public Mono<ScanResult> scan(String code, String gate, String gateEvent) {
    return decide(
        new Scan(UUID.randomUUID().toString(), clock.instant(), gate, gateEvent, null, true), code);
  }

  /**
   * A scan a device made offline, as it reports it.
   *
   * @param scanId the device's id for it (a UUID), the same at every sync
   * @param letIn whether the device let the holder in
   * @param deviceReason why the device refused it (null if it let the holder in)
   */
  public record OfflineScan(
      String scanId,
      String code,
      String gate,
      Instant scannedAt,
      boolean letIn,
      Reason deviceReason) {}

  /** A synced scan's verdict, and whether an earlier sync had recorded it already. */
  public record Synced(ScanResult verdict, boolean earlier) {}

  /**
   * Records the scans a device made offline, in its order, each in its own transaction and once: a
   * scan synced again (a sync cut short and retried) answers what was recorded the first time.
   */
  public Flux<Synced> sync(String device, String gateEvent, List<OfflineScan> scans) {
    return Flux.fromIterable(scans)
        .concatMap(
            offline -> {
              Scan scan =
                  new Scan(
                      offline.scanId(),
                      offline.scannedAt(),
                      offline.gate(),
                      gateEvent,
                      device,
                      offline.letIn());
              return store.atomically(
                  store
                      .claimOffline(offline.scanId(), device)
                      .flatMap(
                          claimed ->
                              claimed
                                  ? syncOne(scan, offline)
                                      .flatMap(store::settleOffline)
                                      .map(verdict -> new Synced(verdict, false))
                                  : store
                                      .offlineVerdict(offline.scanId())
                                      .map(verdict -> new Synced(verdict, true))));
            });
  }

  private Mono<ScanResult> syncOne(Scan scan, OfflineScan offline) {
    if (offline.letIn()) {
      return decide(scan, offline.code());
    }
    // Refused by the device: recorded as it decided, against the ticket if its signature holds.
    Reason reason = offline.deviceReason() == null ? Reason.OTHER : offline.deviceReason();
    return read(offline.code())
        .map(
            presentation ->
                trusted(presentation.claims())
                    .flatMap(
                        trusted ->
                            record(
                                rejection(
                                    scan,
                                    trusted ? presentation.claims() : null,
                                    reason,
                                    "refused offline by device " + scan.device()))))
        .orElseGet(
            () ->
                record(
                    rejection(scan, null, reason, "refused offline by device " + scan.device())));
  }

  private Mono<Boolean> trusted(Claims claims) {
    return store
        .eventKey(claims.keyId())
        .map(key -> signatureProblem(claims, key).isEmpty())
        .defaultIfEmpty(false);
  }

  /** Reads a code: empty when its claims cannot be read (a changed byte). */
  private static Optional<Presentation> read(String code) {
    if (TicketCard.wellFormed(code)) {
      return TicketCard.read(code).map(Gatekeeper::rotating);
    }
    return TicketPayload.read(code).map(payload -> fixed(code, payload));
  }

  /** A rotating code (GT2): the code of its step, that step near the scan's time. */
  private static Presentation rotating(TicketCard.Presented code) {
    TicketCard card = code.card();
    return new Presentation(
        new Claims(code.signed(), card.ticketId(), card.eventId(), card.keyId()),
        (ticket, at) -> {
          if (ticket.codeKey() == null) {
            return Optional.of(
                new Rejection(
                    Reason.OTHER,
                    "the ticket was issued before rotating codes: show its static code"));
          }
          return switch (RotatingCode.check(ticket.codeKey(), code.step(), code.code(), at)) {
            case VALID -> Optional.empty();
            case EXPIRED ->
                Optional.of(
                    new Rejection(
                        Reason.EXPIRED_CODE,
                        "the code is "
                            + (RotatingCode.step(at) - code.step()) * RotatingCode.PERIOD_SECONDS
                            + " s old (a screenshot?): show the live code"));
            case TOO_EARLY ->
                Optional.of(
                    new Rejection(
                        Reason.EXPIRED_CODE,
                        "the code is for a later time: the showing device's clock is ahead"));
            case WRONG ->
                Optional.of(new Rejection(Reason.FORGED, "not the ticket's current time code"));
          };
        });
  }

  /**
   * A static code (GT1): its event's organizer must allow static codes, and its final key must be
   * the ticket's current one.
   */
  private static Presentation fixed(String text, TicketPayload payload) {
    return new Presentation(
        new Claims(text, payload.ticketId(), payload.eventId(), payload.keyId()),
        (ticket, at) ->
            !ticket.staticCodes()
                ? Optional.of(
                    new Rejection(
                        Reason.STATIC_CODE_REFUSED,
                        "the event's tickets show a rotating code only: ask for the live code"))
                : MessageDigest.isEqual(
                        TicketPayload.fingerprint(payload.finalKey())
                            .getBytes(StandardCharsets.US_ASCII),
                        ticket.keyFingerprint().getBytes(StandardCharsets.US_ASCII))
                    ? Optional.empty()
                    : Optional.of(new Rejection(Reason.FORGED, "not the ticket's current key")));
  }

  private Mono<ScanResult> decide(Scan scan, String code) {
    Optional<Presentation> read = read(code);
    if (read.isEmpty()) {
      // A ticket's shape whose claims do not read (a changed byte): a forgery, recorded as such.
      return record(rejection(scan, null, Reason.FORGED, "the payload's claims cannot be read"));
    }
    Claims claims = read.get().claims();
    return store
        .eventKey(claims.keyId())
        .map(key -> signatureProblem(claims, key))
        .defaultIfEmpty(Optional.of("signed by an unknown key"))
        .flatMap(
            forged -> {
              if (forged.isPresent()) {
                return reject(scan, claims, Reason.FORGED, forged.get());
              }
              if (scan.gateEvent() != null && !scan.gateEvent().equals(claims.eventId())) {
                return reject(
                    scan, claims, Reason.WRONG_EVENT, "a ticket for event " + claims.eventId());
              }
              return store
                  .ticket(claims.ticketId())
                  .flatMap(ticket -> decide(scan, claims, read.get().secret(), ticket))
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              reject(
                                  scan,
                                  claims,
                                  Reason.OTHER,
                                  "the gate does not know this ticket yet")));
            });
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

  private Mono<ScanResult> decide(Scan scan, Claims claims, SecretCheck secret, GateTicket ticket) {
    if (!ticket.eventId().equals(claims.eventId())) {
      return reject(scan, claims, Reason.FORGED, "not the ticket's event");
    }
    Optional<Rejection> stale = secret.check(ticket, scan.at());
    if (stale.isPresent()) {
      return reject(scan, claims, stale.get().reason(), stale.get().detail());
    }
    if (ticket.revoked()) {
      return reject(scan, claims, Reason.REVOKED, "the ticket was revoked");
    }
    ScanResult accepted =
        new ScanResult(
            scan.scanId(),
            ticket.ticketId(),
            ticket.eventId(),
            scan.gate(),
            Outcome.ACCEPTED,
            null,
            null,
            null,
            null,
            scan.at(),
            scan.device(),
            ticket.seat());
    return store
        .use(accepted)
        .flatMap(
            used ->
                used
                    ? Mono.just(accepted)
                    // Another scan got there first (or it was revoked meanwhile): say which.
                    : store
                        .ticket(ticket.ticketId())
                        .flatMap(current -> alreadyUsed(scan, claims, current)));
  }

  private Mono<ScanResult> alreadyUsed(Scan scan, Claims claims, GateTicket current) {
    if (current.revoked() && current.firstScannedAt() == null) {
      return reject(scan, claims, Reason.REVOKED, "the ticket was revoked");
    }
    boolean doubleEntry = scan.device() != null;
    return record(
        new ScanResult(
            scan.scanId(),
            current.ticketId(),
            current.eventId(),
            scan.gate(),
            Outcome.REJECTED,
            doubleEntry ? Reason.DUPLICATE_OFFLINE : Reason.ALREADY_USED,
            doubleEntry
                ? "let in offline by device "
                    + scan.device()
                    + " although already used: a double entry"
                : "already used",
            current.firstScannedAt(),
            current.firstGate(),
            scan.at(),
            scan.device(),
            current.seat()));
  }

  private Mono<ScanResult> reject(Scan scan, Claims claims, Reason reason, String detail) {
    return record(rejection(scan, reason == Reason.FORGED ? null : claims, reason, detail));
  }

  /**
   * @param trusted the claims naming the ticket, or null when nothing it names can be trusted
   */
  private static ScanResult rejection(Scan scan, Claims trusted, Reason reason, String detail) {
    return new ScanResult(
        scan.scanId(),
        trusted == null ? null : trusted.ticketId(),
        trusted == null ? null : trusted.eventId(),
        scan.gate(),
        Outcome.REJECTED,
        reason,
        scan.device() != null && scan.letIn() && reason != Reason.DUPLICATE_OFFLINE
            ? "let in offline by device " + scan.device() + ", but " + detail
            : detail,
        null,
        null,
        scan.at(),
        scan.device());
  }

  private Mono<ScanResult> record(ScanResult rejected) {
    return store.record(rejected).thenReturn(rejected);
  }

  public Mono<GateStore.Bundle> bundle(String eventId) {
    return store.bundle(eventId);
  }
}
