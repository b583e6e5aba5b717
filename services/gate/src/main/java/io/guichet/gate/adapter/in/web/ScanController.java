package io.guichet.gate.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.gate.application.GateStore;
import io.guichet.gate.application.Gatekeeper;
import io.guichet.gate.domain.ScanResult;
import io.guichet.outbox.ProjectionProgress;
import io.guichet.platform.tickets.RotatingCode;
import io.guichet.web.FieldError;
import io.guichet.web.Problems;
import io.guichet.web.RequestLogs;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /scans} {payload, gate[, event]}: the gate's verdict on a presented ticket (its
 * rotating code, GT2, or its static code, GT1), 200 with ACCEPTED or REJECTED and the reason (a
 * rejection is an answer, not an error). A request that is not a scan (malformed JSON, missing
 * fields, a payload that is not a Guichet ticket at all) gets a 400 problem and is not recorded.
 * {@code POST /scans/offline}: a device's scans made offline, each recorded once however often it
 * syncs. {@code GET /events/{id}/scanner-bundle}: what an offline scanner needs. Scanners scan only
 * for the events their account is bound to (a scanner bound to one event may leave {@code event}
 * out), admins for any; anything else is a 403, not recorded.
 */
@RestController
public class ScanController {

  private static final Logger LOG = LoggerFactory.getLogger(ScanController.class);

  private final Gatekeeper gatekeeper;
  private final ProjectionProgress tickets;

  /**
   * @param tickets the gate's projection of issued and revoked tickets, which every verdict reads
   */
  public ScanController(Gatekeeper gatekeeper, ProjectionProgress tickets) {
    this.gatekeeper = gatekeeper;
    this.tickets = tickets;
  }

  /** The verdict as the API shows it. */
  record Verdict(
      String scanId,
      String outcome,
      String reason,
      String detail,
      String ticketId,
      String eventId,
      String gate,
      Instant firstScannedAt,
      String firstGate,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          String seat) {

    static Verdict of(ScanResult scan) {
      return new Verdict(
          scan.scanId(),
          scan.outcome().name(),
          scan.reason() == null ? null : scan.reason().name(),
          scan.detail(),
          scan.ticketId(),
          scan.eventId(),
          scan.gate(),
          scan.firstScannedAt(),
          scan.firstGate(),
          scan.seat());
    }
  }

  @ApiResponse(
      responseCode = "200",
      description = "The verdict: ACCEPTED, or REJECTED with its reason",
      content = @Content(schema = @Schema(implementation = Verdict.class)))
  @PostMapping(path = "/scans", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> scan(@Valid @RequestBody ScanRequest body) {
    return Caller.current().flatMap(caller -> scan(caller, body));
  }

  private Mono<ResponseEntity<?>> scan(Caller caller, ScanRequest body) {
    String code = body.payload().strip();
    String gate = body.gate();
    return forEvent(
        caller,
        body.event(),
        event -> {
          if (!Gatekeeper.isTicketCode(code)) {
            return Mono.just(Problems.invalid(List.of(notACode("payload"))));
          }
          return whenCaughtUp(
              () ->
                  gatekeeper
                      .scan(code, gate, event)
                      .<ResponseEntity<?>>map(scan -> ResponseEntity.ok(Verdict.of(scan)))
                      .onErrorResume(
                          e ->
                              RequestLogs.logged(
                                  () -> LOG.warn("scan at {} could not be recorded", gate, e),
                                  Mono.just(
                                      Problems.unavailable(
                                          "The scan could not be recorded; scan again.",
                                          Duration.ofSeconds(1))))));
        });
  }

  /** A synced offline scan's verdict as the API shows it. */
  record SyncedVerdict(
      String scanId,
      boolean syncedBefore,
      String outcome,
      String reason,
      String detail,
      String ticketId,
      String gate,
      Instant scannedAt,
      Instant firstScannedAt,
      String firstGate) {

    static SyncedVerdict of(Gatekeeper.Synced synced) {
      ScanResult scan = synced.verdict();
      return new SyncedVerdict(
          scan.scanId(),
          synced.earlier(),
          scan.outcome().name(),
          scan.reason() == null ? null : scan.reason().name(),
          scan.detail(),
          scan.ticketId(),
          scan.gate(),
          scan.scannedAt(),
          scan.firstScannedAt(),
          scan.firstGate());
    }
  }

  /** How far ahead of the server a device's clock may put a scan. */
  private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);

  @ApiResponse(
      responseCode = "200",
      description =
          "Each offline scan's verdict, in the order sent: ACCEPTED (the ticket's first use),"
              + " DUPLICATE_OFFLINE (let in although already used), or the reason it was refused;"
              + " a scan synced before answers what was recorded then")
  @PostMapping(path = "/scans/offline", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> sync(@Valid @RequestBody OfflineSyncRequest body) {
    return Caller.current().flatMap(caller -> sync(caller, body));
  }

  private Mono<ResponseEntity<?>> sync(Caller caller, OfflineSyncRequest body) {
    List<FieldError> errors = new ArrayList<>();
    Instant latest = Instant.now().plus(CLOCK_SLACK);
    Set<String> ids = new HashSet<>();
    List<Gatekeeper.OfflineScan> scans = new ArrayList<>();
    for (int i = 0; i < body.scans().size(); i++) {
      OfflineSyncRequest.Scan scan = body.scans().get(i);
      String at = "scans[" + i + "].";
      String code = scan.payload().strip();
      if (!Gatekeeper.isTicketCode(code)) {
        errors.add(notACode(at + "payload"));
      }
      if (scan.scannedAt().isAfter(latest)) {
        errors.add(new FieldError(at + "scannedAt", "is in the future"));
      }
      if (!ids.add(scan.scanId())) {
        errors.add(new FieldError(at + "scanId", "is sent twice in this sync"));
      }
      boolean letIn = scan.outcome() == OfflineSyncRequest.Decision.ACCEPTED;
      if (letIn && scan.reason() != null) {
        errors.add(new FieldError(at + "reason", "is only for a REJECTED scan"));
      }
      scans.add(
          new Gatekeeper.OfflineScan(
              scan.scanId(),
              code,
              scan.gate(),
              scan.scannedAt(),
              letIn,
              scan.reason() == null ? null : ScanResult.Reason.valueOf(scan.reason().name())));
    }
    return forEvent(
        caller,
        body.event(),
        event -> {
          if (!errors.isEmpty()) {
            return Mono.just(Problems.invalid(errors));
          }
          return whenCaughtUp(
              () ->
                  gatekeeper
                      .sync(body.device(), event, scans)
                      .map(SyncedVerdict::of)
                      .collectList()
                      .<ResponseEntity<?>>map(
                          verdicts ->
                              ResponseEntity.ok(Map.of("device", body.device(), "scans", verdicts)))
                      .onErrorResume(
                          e ->
                              RequestLogs.logged(
                                  () -> LOG.warn("sync of device {} failed", body.device(), e),
                                  Mono.just(
                                      Problems.unavailable(
                                          "The sync could not be recorded; sync again (scans"
                                              + " already recorded are recorded once).",
                                          Duration.ofSeconds(1))))));
        });
  }

  private static FieldError notACode(String field) {
    return new FieldError(
        field,
        "is not a Guichet ticket code (GT2.<claims>.<signature>.<step>.<code>,"
            + " or GT1.<claims>.<signature>)");
  }

  /**
   * The answer for the event a scanner scans for: the one named, or the one its account is bound to
   * (null for an admin who names none: any event); a problem when it names none it may scan for.
   */
  private static Mono<ResponseEntity<?>> forEvent(
      Caller caller, String named, Function<String, Mono<ResponseEntity<?>>> answer) {
    String event = named;
    if (event == null && !caller.isAdmin() && caller.events().size() > 1) {
      return Mono.just(
          Problems.invalid(
              List.of(
                  new FieldError("event", "is required: your account scans for several events"))));
    }
    if (event == null && !caller.isAdmin()) {
      event = caller.events().stream().findFirst().orElse(null);
    }
    if (!caller.isAdmin() && (event == null || !caller.mayScanFor(event))) {
      return Mono.just(
          Problems.forbidden(
              event == null
                  ? "Your account is bound to no event to scan for."
                  : "Your account does not scan for event " + event + "."));
    }
    return answer.apply(event);
  }

  /**
   * The answer, once the gate has read the tickets since its start; until then a 503: a valid
   * ticket would be rejected as unknown. Nothing is recorded.
   */
  private Mono<ResponseEntity<?>> whenCaughtUp(Supplier<Mono<ResponseEntity<?>>> answer) {
    if (!tickets.caughtUpSinceStart()) {
      return Mono.just(
          Problems.unavailable(
              "The gate is still reading tickets after a start; scan again in a moment.",
              Duration.ofSeconds(1)));
    }
    return answer.get();
  }

  @ApiResponse(
      responseCode = "200",
      description =
          "What an offline scanner needs: the event's keys, revoked and used tickets, and each"
              + " ticket's rotating-code key",
      content = @Content(schema = @Schema(implementation = ScannerBundle.class)))
  @GetMapping("/events/{id}/scanner-bundle")
  public Mono<ResponseEntity<?>> bundle(@PathVariable @Identifier String id) {
    return Caller.current()
        .flatMap(
            caller ->
                caller.mayScanFor(id)
                    ? bundleOf(id)
                    : Mono.just(
                        Problems.forbidden("Your account does not scan for event " + id + ".")));
  }

  /**
   * What an offline scanner needs for one event.
   *
   * @param codeKeys each ticket's rotating-code key (Base64url), by ticket id: secrets, for
   *     scanners only
   * @param staticCodesAllowed whether a static (GT1, printed) code of the event may be let in
   * @param codeParameters how a rotating code is made from its key (RFC 6238)
   * @param serverTime the server's clock when it was made, for a device whose clock is off
   */
  record ScannerBundle(
      String eventId,
      List<Map<String, String>> signingKeys,
      List<String> revokedTickets,
      List<String> usedTickets,
      Map<String, String> codeKeys,
      boolean staticCodesAllowed,
      Map<String, Object> codeParameters,
      Instant serverTime) {}

  private Mono<ResponseEntity<?>> bundleOf(String id) {
    return gatekeeper
        .bundle(id)
        .<ResponseEntity<?>>map(
            bundle ->
                ResponseEntity.ok()
                    .cacheControl(CacheControl.noStore())
                    .body(
                        new ScannerBundle(
                            bundle.eventId(),
                            bundle.keys().stream()
                                .map(
                                    (GateStore.EventKey key) ->
                                        Map.of(
                                            "keyId",
                                            key.keyId(),
                                            "algorithm",
                                            "Ed25519",
                                            "publicKey",
                                            key.publicKey()))
                                .toList(),
                            bundle.revokedTickets(),
                            bundle.usedTickets(),
                            bundle.codeKeys(),
                            bundle.staticCodesAllowed(),
                            Map.of(
                                "algorithm",
                                RotatingCode.ALGORITHM,
                                "digits",
                                RotatingCode.DIGITS,
                                "periodSeconds",
                                RotatingCode.PERIOD_SECONDS,
                                "toleranceSteps",
                                RotatingCode.TOLERANCE_STEPS),
                            Instant.now())))
        .defaultIfEmpty(Problems.notFound("No tickets of event " + id + " are known to the gate."));
  }
}
