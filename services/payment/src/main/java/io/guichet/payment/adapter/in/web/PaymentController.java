package io.guichet.payment.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.outbox.ProjectionProgress;
import io.guichet.payment.application.PayCommand;
import io.guichet.payment.application.PayResult;
import io.guichet.payment.application.PaymentCommands;
import io.guichet.payment.domain.Payable;
import io.guichet.payment.domain.Payment;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /payments} pays a held reservation; {@code GET /payments/{id}} tells how it went. */
@RestController
public class PaymentController {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentController.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final PaymentCommands commands;
  private final ProjectionProgress payables;

  /**
   * @param payables payment's projection of booking's outcomes, which every payment reads
   */
  public PaymentController(PaymentCommands commands, ProjectionProgress payables) {
    this.commands = commands;
    this.payables = payables;
  }

  /** A payment as the API shows it. */
  record PaymentView(
      String paymentId,
      String reservationId,
      int attempt,
      String status,
      long amountMinor,
      String currency,
      String method,
      String failureReason,
      String failureDetail,
      String provider,
      Instant createdAt,
      String self) {

    static PaymentView of(Payment payment) {
      return new PaymentView(
          payment.paymentId(),
          payment.reservationId(),
          payment.attempt(),
          payment.status().name(),
          payment.amountMinor(),
          payment.currency(),
          payment.method(),
          payment.failureReason() == null ? null : payment.failureReason().name(),
          payment.failureDetail(),
          payment.provider(),
          payment.createdAt(),
          "/payments/" + payment.paymentId());
    }
  }

  /** Pays one of the calling customer's held reservations. */
  @ApiResponse(
      responseCode = "201",
      description = "Captured",
      content = @Content(schema = @Schema(implementation = PaymentView.class)))
  @ApiResponse(
      responseCode = "200",
      description = "Captured before (the same payment again)",
      content = @Content(schema = @Schema(implementation = PaymentView.class)))
  @ApiResponse(
      responseCode = "202",
      description = "The provider has not answered yet: follow Location",
      content = @Content(schema = @Schema(implementation = PaymentView.class)))
  @ProblemResponses({402, 409, 422})
  @PostMapping(path = "/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> pay(@Valid @RequestBody PayRequest body) {
    return Caller.current().flatMap(caller -> pay(body.command(caller.accountId())));
  }

  private Mono<ResponseEntity<?>> pay(PayCommand command) {
    if (!payables.caughtUpSinceStart()) {
      // Moments after a start: booking's outcomes are still being read, and a held reservation
      // would look unknown (or its hold still running when it ended). Nothing is charged.
      return Mono.just(
          Problems.unavailable(
              "Payment is still reading booking's outcomes after a start; nothing was charged,"
                  + " retry in a moment.",
              RETRY));
    }
    return commands
        .pay(command)
        .map(PaymentController::answer)
        .onErrorResume(
            e ->
                RequestLogs.logged(
                    () ->
                        LOG.warn("payment of {} could not be recorded", command.reservationId(), e),
                    Mono.just(
                        Problems.unavailable(
                            "The payment could not be recorded; retry it.", RETRY))));
  }

  /** A payment, to its customer or an admin; anyone else gets 404. */
  @ApiResponse(
      responseCode = "200",
      description = "The payment",
      content = @Content(schema = @Schema(implementation = PaymentView.class)))
  @GetMapping("/payments/{id}")
  public Mono<ResponseEntity<?>> payment(@PathVariable @Identifier String id) {
    return Caller.current()
        .flatMap(caller -> commands.payment(id, caller::sees))
        .<ResponseEntity<?>>map(payment -> ResponseEntity.ok(PaymentView.of(payment)))
        .defaultIfEmpty(Problems.notFound("No payment " + id + "."));
  }

  private static ResponseEntity<?> answer(PayResult result) {
    if (result instanceof PayResult.UnknownReservation unknown) {
      return Problems.notFound(
          "No held reservation "
              + unknown.reservationId()
              + " is known to payment (a reservation can be paid moments after it is held).");
    }
    if (result instanceof PayResult.Refused refused) {
      Payable.Refusal refusal = refused.refusal();
      List<FieldError> errors = List.of(new FieldError(refusal.field(), refusal.message()));
      return refusal.kind() == Payable.Refusal.Kind.MISMATCH
          ? Problems.unprocessable(errors)
          : Problems.conflict("The reservation takes no payment now.", errors);
    }
    if (result instanceof PayResult.Unavailable unavailable) {
      return Problems.unavailable(
          "The payment provider is not answering; nothing was charged.", unavailable.retryAfter());
    }
    PayResult.Done done = (PayResult.Done) result;
    Payment payment = done.payment();
    URI self = URI.create("/payments/" + payment.paymentId());
    switch (payment.status()) {
      case CAPTURED:
        return (done.isNew() ? ResponseEntity.created(self) : ResponseEntity.ok().location(self))
            .body(PaymentView.of(payment));
      case FAILED:
        ResponseEntity<ProblemDetail> problem =
            Problems.of(
                HttpStatus.PAYMENT_REQUIRED,
                "payment-failed",
                "Payment failed",
                payment.failureDetail(),
                List.of());
        problem.getBody().setProperty("reason", payment.failureReason().name());
        problem.getBody().setProperty("paymentId", payment.paymentId());
        return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED)
            .location(self)
            .body(problem.getBody());
      case PROCESSING:
      default:
        // The provider has not answered yet (or another request is paying): follow it.
        return ResponseEntity.accepted().location(self).body(PaymentView.of(payment));
    }
  }
}
