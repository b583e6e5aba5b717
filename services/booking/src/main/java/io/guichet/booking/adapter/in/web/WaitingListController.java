package io.guichet.booking.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.booking.application.ReservationCommands;
import io.guichet.booking.application.ReserveCommand;
import io.guichet.booking.application.ReserveResult;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.RequestLogs;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /waiting-lists}: a buyer asks to wait for a sold-out offer. The request is checked against
 * the catalog and published; the allocator puts the buyer on the list (or refuses), holds seats
 * that come back for the list in order, and query shows the buyer's place and offers.
 */
@RestController
public class WaitingListController {

  private static final Logger LOG = LoggerFactory.getLogger(WaitingListController.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final ReservationCommands commands;

  public WaitingListController(ReservationCommands commands) {
    this.commands = commands;
  }

  /**
   * The body of {@code POST /waiting-lists}.
   *
   * @param quantity tickets wanted, within the offer's limit per order
   */
  record JoinRequest(
      @NotNull(message = "is required") @Identifier String event,
      @NotNull(message = "is required") @Identifier String offer,
      @NotNull(message = "is required") @Min(value = 1, message = "must be at least 1")
          Integer quantity) {}

  /**
   * The answer to a join: the entry, and where its buyer follows it (their place, then the seats
   * offered to them).
   */
  record Joined(String entryId, String status, String follow) {}

  /** Joins an offer's waiting list, for the calling customer. */
  @ApiResponse(
      responseCode = "202",
      description =
          "Accepted: the allocator puts the buyer on the list, or refuses (sold out or not);"
              + " follow it at follow",
      content = @Content(schema = @Schema(implementation = Joined.class)))
  @ProblemResponses({422})
  @PostMapping(path = "/waiting-lists", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> join(@Valid @RequestBody JoinRequest body) {
    return Caller.current()
        .flatMap(
            caller ->
                commands.joinWaitingList(
                    new ReserveCommand(
                        body.event(), body.offer(), body.quantity(), caller.accountId())))
        .<ResponseEntity<?>>map(
            result -> {
              if (result.outcome() == ReserveResult.Outcome.REFUSED) {
                return Problems.unprocessable(result.errors());
              }
              if (result.outcome() != ReserveResult.Outcome.ACCEPTED) {
                return Problems.unavailable("Booking is still reading the catalog.", RETRY);
              }
              String follow = "/views/waiting-lists/" + result.reservationId();
              return ResponseEntity.accepted()
                  .location(URI.create(follow))
                  .body(new Joined(result.reservationId(), "REQUESTED", follow));
            })
        .onErrorResume(
            e ->
                RequestLogs.logged(
                    () -> LOG.warn("could not publish a waiting-list request", e),
                    Mono.just(
                        Problems.unavailable(
                            "The request could not be recorded; retry it.", RETRY))));
  }
}
