package io.guichet.ticketing.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.platform.ids.EmailAddress;
import io.guichet.ticketing.adapter.out.r2dbc.TransferStore;
import io.guichet.ticketing.domain.Transfer;
import io.guichet.web.FieldError;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.RequestLogs;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Ticket transfers. {@code POST /tickets/{id}/transfers} {to}: the holder offers a ticket to an
 * email address (201; the same offer again answers 200 with the open one). {@code GET
 * /tickets/transfers}: the caller's transfers, sent and received. {@code GET
 * /tickets/transfers/{transferId}}: one, for its sender or its recipient. {@code POST
 * /tickets/transfers/{transferId}/accept}: the recipient, logged in under the offer's address,
 * takes the ticket: the old one is revoked (TRANSFERRED, scanners reject it) and a new one with new
 * keys is theirs (200 with it, the same on a retry). {@code DELETE
 * /tickets/transfers/{transferId}}: the sender takes an open offer back (204). The organizer may
 * forbid transfers for an event; a revoked ticket (410) or one a gate let in (409) is not
 * transferred.
 */
@RestController
public class TransferController {

  private static final Logger LOG = LoggerFactory.getLogger(TransferController.class);

  private final TransferStore transfers;
  private final Clock clock;

  public TransferController(TransferStore transfers) {
    this.transfers = transfers;
    this.clock = Clock.systemUTC();
  }

  /**
   * A transfer as its sender or recipient sees it.
   *
   * @param direction SENT (the caller offered it) or RECEIVED (offered to the caller's address)
   * @param from the sender's account
   * @param to the recipient's email address
   * @param newTicketId the ticket issued on acceptance (shown to the recipient only)
   */
  record TransferView(
      String transferId,
      String ticketId,
      String eventId,
      String status,
      String direction,
      String from,
      String to,
      String newTicketId,
      Instant offeredAt,
      Instant decidedAt,
      Map<String, String> links) {

    static TransferView of(Transfer transfer, String callerId) {
      boolean sent = transfer.fromCustomer().equals(callerId);
      String self = "/tickets/transfers/" + transfer.transferId();
      Map<String, String> links = new LinkedHashMap<>();
      links.put("self", self);
      if (transfer.status() == Transfer.Status.OFFERED) {
        links.put(sent ? "cancel" : "accept", sent ? self : self + "/accept");
      }
      if (!sent && transfer.newTicketId() != null) {
        links.put("ticket", "/tickets/" + transfer.newTicketId());
      }
      return new TransferView(
          transfer.transferId(),
          transfer.ticketId(),
          transfer.eventId(),
          transfer.status().name(),
          sent ? "SENT" : "RECEIVED",
          transfer.fromCustomer(),
          transfer.toEmail(),
          sent ? null : transfer.newTicketId(),
          transfer.offeredAt(),
          transfer.decidedAt(),
          links);
    }
  }

  @ApiResponse(
      responseCode = "201",
      description = "Offered: the recipient is emailed and accepts while logged in",
      content = @Content(schema = @Schema(implementation = TransferView.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The same offer, already open",
      content = @Content(schema = @Schema(implementation = TransferView.class)))
  @ProblemResponses({409, 410, 422})
  @PostMapping(path = "/tickets/{id}/transfers", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> offer(
      @PathVariable @Identifier String id, @Valid @RequestBody TransferRequest body) {
    Optional<String> to = EmailAddress.parse(body.to());
    if (to.isEmpty()) {
      return Mono.just(Problems.invalid(List.of(new FieldError("to", "must be an email address"))));
    }
    return Caller.current()
        .flatMap(
            caller ->
                transfers
                    .offer(caller.accountId(), id, to.get(), clock.instant())
                    .<ResponseEntity<?>>map(
                        offered -> {
                          TransferView view =
                              TransferView.of(offered.transfer(), caller.accountId());
                          return offered.now()
                              ? ResponseEntity.created(URI.create(view.links().get("self")))
                                  .body(view)
                              : ResponseEntity.ok(view);
                        }))
        .onErrorResume(TransferController::problem);
  }

  @ApiResponse(responseCode = "200", description = "The caller's transfers, sent and received")
  @GetMapping("/tickets/transfers")
  public Mono<ResponseEntity<?>> mine() {
    return Caller.current()
        .flatMap(
            caller ->
                transfers
                    .of(caller.accountId())
                    .map(transfer -> TransferView.of(transfer, caller.accountId()))
                    .collectList()
                    .map(list -> ResponseEntity.ok(Map.of("transfers", list))));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The transfer",
      content = @Content(schema = @Schema(implementation = TransferView.class)))
  @GetMapping("/tickets/transfers/{transferId}")
  public Mono<ResponseEntity<?>> transfer(@PathVariable @Identifier String transferId) {
    return Caller.current()
        .flatMap(
            caller ->
                transfers
                    .visible(caller.accountId(), transferId)
                    .<ResponseEntity<?>>map(
                        transfer ->
                            ResponseEntity.ok(TransferView.of(transfer, caller.accountId()))))
        .defaultIfEmpty(Problems.notFound("No transfer " + transferId + "."));
  }

  @ApiResponse(
      responseCode = "200",
      description = "Accepted: the transfer and the ticket now the caller's",
      content = @Content(schema = @Schema(implementation = AcceptedView.class)))
  @ProblemResponses({409, 410})
  @PostMapping("/tickets/transfers/{transferId}/accept")
  public Mono<ResponseEntity<?>> accept(@PathVariable @Identifier String transferId) {
    return Caller.current()
        .flatMap(
            caller ->
                transfers
                    .accept(caller.accountId(), transferId, clock.instant())
                    .<ResponseEntity<?>>map(
                        accepted ->
                            ResponseEntity.ok(
                                new AcceptedView(
                                    TransferView.of(accepted.transfer(), caller.accountId()),
                                    TicketController.TicketView.of(accepted.ticket())))))
        .onErrorResume(TransferController::problem);
  }

  /** An accepted transfer and the ticket issued to the caller. */
  record AcceptedView(TransferView transfer, TicketController.TicketView ticket) {}

  @ApiResponse(responseCode = "204", description = "Cancelled (or already cancelled)")
  @ProblemResponses({409})
  @DeleteMapping("/tickets/transfers/{transferId}")
  public Mono<ResponseEntity<?>> cancel(@PathVariable @Identifier String transferId) {
    return Caller.current()
        .flatMap(
            caller ->
                transfers
                    .cancel(caller.accountId(), transferId, clock.instant())
                    .<ResponseEntity<?>>map(cancelled -> ResponseEntity.noContent().build()))
        .onErrorResume(TransferController::problem);
  }

  /**
   * A refusal's problem; any other failure (the database away, a transaction torn down) changed
   * nothing, and is worth a retry.
   */
  private static Mono<ResponseEntity<?>> problem(Throwable failure) {
    if (!(failure instanceof TransferStore.Refused refused)) {
      return RequestLogs.logged(
          () -> LOG.warn("a transfer request failed; nothing was changed", failure),
          Mono.just(
              Problems.unavailable(
                  "The transfer could not be completed and nothing changed; try again.",
                  Duration.ofSeconds(1))));
    }
    String detail = refused.getMessage();
    ResponseEntity<?> problem =
        switch (refused.refusal()) {
          case NOT_FOUND -> Problems.notFound(detail);
          case GONE ->
              Problems.of(HttpStatus.GONE, refused.type(), "Ticket revoked", detail, List.of());
          case CONFLICT ->
              Problems.of(
                  HttpStatus.CONFLICT, refused.type(), "Not possible now", detail, List.of());
          case UNPROCESSABLE ->
              Problems.unprocessable(List.of(new FieldError(refused.field(), detail)));
          case UNAVAILABLE -> Problems.unavailable(detail, Duration.ofSeconds(1));
        };
    return Mono.just(problem);
  }
}
