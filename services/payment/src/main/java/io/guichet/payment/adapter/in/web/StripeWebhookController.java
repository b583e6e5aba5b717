package io.guichet.payment.adapter.in.web;

import io.guichet.payment.PaymentProperties;
import io.guichet.payment.adapter.out.provider.StripeProvider;
import io.guichet.payment.application.PaymentCommands;
import io.guichet.payment.application.ProviderResult;
import io.guichet.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /payments/webhooks/stripe}: Stripe's asynchronous results. A delivery must carry a
 * valid {@code Stripe-Signature} over its exact body, signed within the tolerance window; anything
 * else is refused with 400 and changes nothing. A redelivery of an event already applied is
 * acknowledged (200, so that Stripe stops retrying) and changes nothing either.
 */
@RestController
@ConditionalOnProperty(prefix = "guichet.payment", name = "provider", havingValue = "stripe")
public class StripeWebhookController {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PaymentCommands commands;
  private final StripeSignature signature;
  private final Clock clock = Clock.systemUTC();

  public StripeWebhookController(PaymentCommands commands, PaymentProperties properties) {
    this.commands = commands;
    this.signature =
        new StripeSignature(
            properties.stripe().webhookSecret(), properties.stripe().webhookTolerance());
  }

  @Operation(
      summary = "Stripe's events about payments (signed: Stripe-Signature)",
      description =
          "For Stripe only. The body is read as the exact bytes Stripe signed, so it is not bound"
              + " to a record: a signature over re-serialized JSON would not hold.")
  @SecurityRequirements
  @ApiResponse(responseCode = "200", description = "Received (applied or not)")
  @PostMapping("/payments/webhooks/stripe")
  public Mono<ResponseEntity<?>> receive(
      @RequestHeader(name = "Stripe-Signature", required = false) String header,
      @RequestBody(required = false) String body) {
    String payload = body == null ? "" : body;
    Optional<String> refusal = signature.refusal(header, payload, clock.instant());
    if (refusal.isPresent()) {
      return Mono.just(
          Problems.of(
              HttpStatus.BAD_REQUEST,
              "bad-signature",
              "Webhook refused",
              refusal.get(),
              java.util.List.of()));
    }
    JsonNode event;
    try {
      event = JSON.readTree(payload);
    } catch (JacksonException e) {
      return Mono.just(Problems.malformed("The webhook body is not JSON."));
    }
    String type = event.path("type").asString();
    JsonNode intent = event.path("data").path("object");
    String key = intent.path("metadata").path(StripeProvider.KEY_METADATA).asString("");
    if (!type.startsWith("payment_intent.") || key.isEmpty()) {
      // Another kind of event, or a PaymentIntent Guichet did not create: nothing to do.
      return Mono.just(ResponseEntity.ok(Map.of("received", true, "applied", false)));
    }
    ProviderResult result = StripeProvider.ofIntent(intent);
    return commands
        .providerReported(event.path("id").asString(), key, result)
        .map(
            report ->
                ResponseEntity.ok(
                    Map.of(
                        "received",
                        true,
                        "applied",
                        report == PaymentCommands.Report.APPLIED,
                        "duplicate",
                        report == PaymentCommands.Report.DUPLICATE)));
  }
}
