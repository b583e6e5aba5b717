package io.guichet.gate.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.gate.application.GateStore;
import io.guichet.gate.application.Gatekeeper;
import io.guichet.gate.domain.ScanResult;
import io.guichet.outbox.ProjectionProgress;
import io.guichet.platform.tickets.TicketCard;
import io.guichet.platform.tickets.TicketPayload;
import io.guichet.web.FieldError;
import io.guichet.web.Problems;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * {@code GET /events/{id}/scanner-bundle}: what an offline scanner needs. Scanners scan only for
 * the events their account is bound to (a scanner bound to one event may leave {@code event} out),
 * admins for any; anything else is a 403, not recorded.
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
      String firstGate) {

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
          scan.firstGate());
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
    String payloadText = body.payload().strip();
    String gate = body.gate();
    String event = body.event();
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
    boolean rotating = TicketCard.wellFormed(payloadText);
    if (!rotating && !TicketPayload.wellFormed(payloadText)) {
      return Mono.just(
          Problems.invalid(
              List.of(
                  new FieldError(
                      "payload",
                      "is not a Guichet ticket code (GT2.<claims>.<signature>.<step>.<code>,"
                          + " or GT1.<claims>.<signature>)"))));
    }
    if (!tickets.caughtUpSinceStart()) {
      // Moments after a start: tickets are still being read, and a valid one would be rejected
      // as unknown. Nothing is recorded.
      return Mono.just(
          Problems.unavailable(
              "The gate is still reading tickets after a start; scan again in a moment.",
              Duration.ofSeconds(1)));
    }
    String gateEvent = event;
    // A ticket's shape whose claims do not read (a changed byte): a forgery, recorded as such.
    Mono<ScanResult> verdict =
        rotating
            ? TicketCard.read(payloadText)
                .map(code -> gatekeeper.scan(code, gate, gateEvent))
                .orElseGet(() -> gatekeeper.unreadable(gate))
            : TicketPayload.read(payloadText)
                .map(payload -> gatekeeper.scan(payloadText, payload, gate, gateEvent))
                .orElseGet(() -> gatekeeper.unreadable(gate));
    return verdict
        .<ResponseEntity<?>>map(scan -> ResponseEntity.ok(Verdict.of(scan)))
        .onErrorResume(
            e -> {
              LOG.warn("scan at {} could not be recorded", gate, e);
              return Mono.just(
                  Problems.unavailable(
                      "The scan could not be recorded; scan again.", Duration.ofSeconds(1)));
            });
  }

  @ApiResponse(
      responseCode = "200",
      description = "What an offline scanner needs: keys and revoked tickets")
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

  private Mono<ResponseEntity<?>> bundleOf(String id) {
    return gatekeeper
        .bundle(id)
        .<ResponseEntity<?>>map(
            bundle ->
                ResponseEntity.ok(
                    Map.of(
                        "eventId",
                        bundle.eventId(),
                        "signingKeys",
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
                        "revokedTickets",
                        bundle.revokedTickets(),
                        "generatedAt",
                        Instant.now())))
        .defaultIfEmpty(Problems.notFound("No tickets of event " + id + " are known to the gate."));
  }
}
