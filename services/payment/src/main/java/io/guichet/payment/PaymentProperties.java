package io.guichet.payment;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Payment's settings ({@code guichet.payment.*}).
 *
 * @param bootstrapServers the Kafka cluster
 * @param schemaRegistryUrl the schema registry
 * @param consumerGroup the group (and stored positions) of the projection of booking's outcomes
 * @param provider {@code simulated} (the default) or {@code stripe}
 * @param stripe Stripe's address and secrets, when it is the provider
 * @param providerTimeout how long a provider call may take before it counts as a timeout
 * @param circuit when the provider's circuit opens and for how long
 * @param recoveryAfter how old a payment still processing must be before recovery asks the provider
 * @param recoveryCheck how often recovery runs
 * @param refundCheck how often refunds owed are made
 */
@ConfigurationProperties("guichet.payment")
public record PaymentProperties(
    String bootstrapServers,
    String schemaRegistryUrl,
    String consumerGroup,
    String provider,
    Stripe stripe,
    Duration providerTimeout,
    Circuit circuit,
    Duration recoveryAfter,
    Duration recoveryCheck,
    Duration refundCheck) {

  /**
   * @param apiBase {@code https://api.stripe.com}
   * @param secretKey the account's secret API key (configuration only: STRIPE_SECRET_KEY)
   * @param webhookSecret the webhook endpoint's signing secret (STRIPE_WEBHOOK_SECRET)
   * @param webhookTolerance how far a delivery's signed timestamp may be from now
   */
  public record Stripe(
      String apiBase, String secretKey, String webhookSecret, Duration webhookTolerance) {}

  /**
   * @param failureRate percentage of failed or timed-out calls that opens the circuit
   * @param window how many recent calls the rate is computed over
   * @param minimumCalls calls needed before the rate counts
   * @param openFor how long the circuit stays open before letting trial calls through
   * @param trialCalls calls let through half-open to decide whether to close it
   */
  public record Circuit(
      float failureRate, int window, int minimumCalls, Duration openFor, int trialCalls) {}
}
