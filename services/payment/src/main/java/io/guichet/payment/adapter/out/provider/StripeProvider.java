package io.guichet.payment.adapter.out.provider;

import io.guichet.payment.application.PaymentProvider;
import io.guichet.payment.application.ProviderResult;
import io.guichet.payment.domain.Payment.FailureReason;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Stripe's REST API: a charge is a PaymentIntent created and confirmed at once, with the attempt's
 * idempotency key both as Stripe's {@code Idempotency-Key} (a retry is the same PaymentIntent, not
 * a second charge) and in its metadata (so that recovery can find it with the search API). Refunds
 * are {@code POST /v1/refunds} with their own idempotency key.
 */
public final class StripeProvider implements PaymentProvider {

  /** The metadata field that carries the attempt's idempotency key. */
  public static final String KEY_METADATA = "guichet_key";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebClient http;

  /**
   * @param apiBase {@code https://api.stripe.com}, or a stub's address in tests
   * @param secretKey the account's secret key (from configuration; never in the repository)
   */
  public StripeProvider(WebClient.Builder http, String apiBase, String secretKey) {
    this.http = http.baseUrl(apiBase).defaultHeader("Authorization", "Bearer " + secretKey).build();
  }

  @Override
  public String name() {
    return "stripe";
  }

  @Override
  public Mono<ProviderResult> charge(Charge charge) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("amount", Long.toString(charge.amountMinor()));
    form.add("currency", charge.currency().toLowerCase(Locale.ROOT));
    form.add("payment_method", charge.paymentMethod());
    form.add("payment_method_types[]", "card");
    form.add("confirm", "true");
    form.add("metadata[" + KEY_METADATA + "]", charge.idempotencyKey());
    form.add("metadata[reservation_id]", charge.reservationId());
    return http.post()
        .uri("/v1/payment_intents")
        .header("Idempotency-Key", charge.idempotencyKey())
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(BodyInserters.fromFormData(form))
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(String.class)
                    .defaultIfEmpty("{}")
                    .map(body -> answer(response.statusCode().value(), body)));
  }

  private static ProviderResult answer(int status, String body) {
    JsonNode json = read(body);
    if (status == HttpStatus.PAYMENT_REQUIRED.value()) {
      // A card error: declined, insufficient funds...
      return refused(json.path("error"));
    }
    if (status >= 300) {
      throw new IllegalStateException(
          "Stripe answered " + status + ": " + json.path("error").path("message").asString(body));
    }
    return ofIntent(json);
  }

  /** What a PaymentIntent's status says of the charge. */
  public static ProviderResult ofIntent(JsonNode intent) {
    String id = intent.path("id").asString();
    switch (intent.path("status").asString()) {
      case "succeeded":
        return new ProviderResult.Captured(id);
      case "processing":
        return new ProviderResult.Pending(id);
      case "requires_payment_method":
      case "canceled":
        return refused(intent.path("last_payment_error"));
      default:
        // requires_action (3-D Secure) and the like need the buyer, which a server-side
        // confirmation cannot involve.
        return new ProviderResult.Failed(
            FailureReason.DECLINED, "the card needs the buyer's authentication");
    }
  }

  private static ProviderResult.Failed refused(JsonNode error) {
    String decline = error.path("decline_code").asString(error.path("code").asString());
    String message = error.path("message").asString("The card was declined.");
    return new ProviderResult.Failed(
        "insufficient_funds".equals(decline)
            ? FailureReason.INSUFFICIENT_FUNDS
            : FailureReason.DECLINED,
        message);
  }

  @Override
  public Mono<ProviderResult> lookup(String idempotencyKey) {
    return http.get()
        .uri(
            uri ->
                uri.path("/v1/payment_intents/search")
                    .queryParam("query", "metadata['" + KEY_METADATA + "']:'{key}'")
                    .build(idempotencyKey))
        .retrieve()
        .bodyToMono(String.class)
        .map(StripeProvider::read)
        .flatMap(
            found ->
                found.path("data").isEmpty()
                    ? Mono.empty()
                    : Mono.just(ofIntent(found.path("data").get(0))));
  }

  @Override
  public Mono<String> refund(Refund refund) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("payment_intent", refund.providerReference());
    form.add("amount", Long.toString(refund.amountMinor()));
    return http.post()
        .uri("/v1/refunds")
        .header("Idempotency-Key", refund.idempotencyKey())
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(BodyInserters.fromFormData(form))
        .retrieve()
        .bodyToMono(String.class)
        .map(body -> read(body).path("id").asString());
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public boolean healthy() {
    return true;
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      throw new IllegalStateException("Stripe's answer is not JSON", e);
    }
  }
}
