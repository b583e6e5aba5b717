package io.guichet.ticketing.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.platform.tickets.RotatingCode;
import io.guichet.ticketing.adapter.out.r2dbc.TicketStore;
import io.guichet.ticketing.domain.Ticket;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.QrCodes;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A buyer's tickets: {@code GET /tickets?reservation=}, {@code GET /tickets/{id}}, and the QR code
 * to show at the gate, {@code GET /tickets/{id}/qr} (PNG) or its text, {@code GET
 * /tickets/{id}/payload}, and what the buyer's device needs to show its rotating code instead,
 * {@code GET /tickets/{id}/wallet}. A revoked ticket has none of them (410). A customer sees only
 * their own tickets (anyone else's answer 404, and are left out of a reservation's list); an admin
 * sees all.
 */
@RestController
public class TicketController {

  private final TicketStore tickets;

  public TicketController(TicketStore tickets) {
    this.tickets = tickets;
  }

  /**
   * A ticket as the API shows it: never its keys.
   *
   * @param transferredFrom the ticket this one replaced when it was transferred to its holder
   * @param seat the seat it admits to, for an offer sold by seat (absent for general admission)
   */
  record TicketView(
      String ticketId,
      String reservationId,
      String eventId,
      String offerId,
      int seatIndex,
      String status,
      String revokeReason,
      Instant issuedAt,
      String transferredFrom,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          Ticket.Seat seat,
      Map<String, String> links) {

    static TicketView of(Ticket ticket) {
      String self = "/tickets/" + ticket.ticketId();
      return new TicketView(
          ticket.ticketId(),
          ticket.reservationId(),
          ticket.eventId(),
          ticket.offerId(),
          ticket.seatIndex(),
          ticket.status().name(),
          ticket.revokeReason(),
          ticket.issuedAt(),
          ticket.transferredFrom(),
          ticket.seat(),
          ticket.status() == Ticket.Status.ISSUED
              ? Map.of(
                  "self",
                  self,
                  "qr",
                  self + "/qr",
                  "wallet",
                  self + "/wallet",
                  "transfers",
                  self + "/transfers")
              : Map.of("self", self));
    }
  }

  @ApiResponse(responseCode = "200", description = "The reservation's tickets the caller may see")
  @GetMapping("/tickets")
  public Mono<ResponseEntity<?>> ofReservation(
      @RequestParam(name = "reservation") @Identifier String reservation) {
    return Caller.current()
        .flatMapMany(
            caller ->
                tickets
                    .ofReservation(reservation)
                    .filter(ticket -> caller.sees(ticket.customerId())))
        .map(TicketView::of)
        .collectList()
        .map(list -> ResponseEntity.ok(Map.of("reservationId", reservation, "tickets", list)));
  }

  /** The ticket, if the caller may see it. */
  private Mono<Ticket> visible(String id) {
    return Caller.current()
        .zipWith(tickets.ticket(id))
        .filter(found -> found.getT1().sees(found.getT2().customerId()))
        .map(found -> found.getT2());
  }

  @ApiResponse(
      responseCode = "200",
      description = "The ticket",
      content = @Content(schema = @Schema(implementation = TicketView.class)))
  @GetMapping("/tickets/{id}")
  public Mono<ResponseEntity<?>> ticket(@PathVariable @Identifier String id) {
    return visible(id)
        .<ResponseEntity<?>>map(ticket -> ResponseEntity.ok(TicketView.of(ticket)))
        .defaultIfEmpty(Problems.notFound("No ticket " + id + "."));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The ticket's QR code",
      content =
          @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
  @ProblemResponses({409, 410})
  @GetMapping("/tickets/{id}/qr")
  public Mono<ResponseEntity<?>> qr(@PathVariable @Identifier String id) {
    return payload(id)
        .flatMap(
            payload ->
                payload.getBody() instanceof String text
                    ? Mono.fromCallable(() -> QrCodes.png(text))
                        .subscribeOn(Schedulers.boundedElastic())
                        .<ResponseEntity<?>>map(
                            png -> ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png))
                    : Mono.just(payload));
  }

  @ApiResponse(responseCode = "200", description = "The ticket's signed payload (GT1...)")
  @ProblemResponses({409, 410})
  @GetMapping("/tickets/{id}/payload")
  public Mono<ResponseEntity<?>> payloadText(@PathVariable @Identifier String id) {
    return payload(id)
        .map(
            payload ->
                payload.getBody() instanceof String text
                    ? ResponseEntity.ok(Map.of("ticketId", id, "payload", text))
                    : payload);
  }

  /**
   * The static code, where the event's organizer allows it; otherwise a 409: its tickets show the
   * rotating code only (the wallet).
   */
  private Mono<ResponseEntity<?>> payload(String id) {
    return issued(
        id,
        ticket ->
            tickets
                .policy(ticket.eventId())
                .flatMap(
                    policy ->
                        policy.staticCodes()
                            ? tickets.payload(ticket).map(ResponseEntity::ok)
                            : Mono.just(
                                Problems.of(
                                    HttpStatus.CONFLICT,
                                    "static-codes-refused",
                                    "Rotating codes only",
                                    "The tickets of event "
                                        + ticket.eventId()
                                        + " show a rotating code only (a static code could be"
                                        + " copied): /tickets/"
                                        + id
                                        + "/wallet gives what a device needs to show it.",
                                    List.of()))));
  }

  /**
   * What the buyer's device needs to show the rotating code, RFC 6238 with these parameters: the
   * code of step {@code floor(unixSeconds / periodSeconds)} is {@code HOTP(codeKey, step)}, shown
   * as {@code <card>.<step>.<code>}.
   *
   * @param card the signed card ({@code GT2.<claims>.<signature>})
   * @param codeKey the ticket's code key, Base64url (a secret of the buyer's: kept on the device)
   * @param serverTime the server's clock, for a device whose clock is wrong
   */
  record WalletView(
      TicketView ticket,
      String card,
      String codeKey,
      String algorithm,
      int digits,
      long periodSeconds,
      int toleranceSteps,
      Instant serverTime) {}

  @ApiResponse(
      responseCode = "200",
      description =
          "The ticket's signed card and code key, from which the buyer's device computes the"
              + " rotating code (RFC 6238) shown at the gate",
      content = @Content(schema = @Schema(implementation = WalletView.class)))
  @ProblemResponses({410})
  @GetMapping("/tickets/{id}/wallet")
  public Mono<ResponseEntity<?>> wallet(@PathVariable @Identifier String id) {
    return issued(
        id,
        ticket ->
            tickets
                .wallet(ticket)
                .map(
                    wallet ->
                        ResponseEntity.ok()
                            .cacheControl(CacheControl.noStore())
                            .body(
                                new WalletView(
                                    TicketView.of(ticket),
                                    wallet.card(),
                                    Base64.getUrlEncoder()
                                        .withoutPadding()
                                        .encodeToString(wallet.codeKey()),
                                    RotatingCode.ALGORITHM,
                                    RotatingCode.DIGITS,
                                    RotatingCode.PERIOD_SECONDS,
                                    RotatingCode.TOLERANCE_STEPS,
                                    Instant.now()))));
  }

  /** What {@code answer} makes of the ticket if the caller may see it and it is not revoked. */
  private Mono<ResponseEntity<?>> issued(
      String id, Function<Ticket, Mono<ResponseEntity<?>>> answer) {
    return visible(id)
        .<ResponseEntity<?>>flatMap(
            ticket ->
                ticket.status() == Ticket.Status.REVOKED
                    ? Mono.just(
                        Problems.of(
                            HttpStatus.GONE,
                            "ticket-revoked",
                            "Ticket revoked",
                            "Ticket " + id + " was revoked (" + ticket.revokeReason() + ").",
                            List.of()))
                    : answer.apply(ticket))
        .defaultIfEmpty(Problems.notFound("No ticket " + id + "."));
  }
}
