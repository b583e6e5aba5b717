package io.guichet.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code guichet.gateway.*}.
 *
 * @param services each service's base URL by name (catalog, booking, payment, ticketing, gate,
 *     identity); a route to a service not named here answers 503
 * @param limits the request budgets
 * @param corsOrigins the browser origins allowed to call the API (with credentials: the refresh
 *     cookie); none means same-origin only
 * @param trustedProxies addresses of proxies (nginx) whose {@code X-Forwarded-For} is believed; a
 *     request from anywhere else is counted by its own address
 * @param upstreamTimeout the longest silence from a service before the gateway gives up (longer
 *     than the event streams' heartbeat)
 * @param maxBodySize the largest request body passed on (as every service reads at most); a larger
 *     one is answered 413 without reaching any service
 */
@ConfigurationProperties("guichet.gateway")
public record GatewayProperties(
    Map<String, URI> services,
    @DefaultValue Limits limits,
    @DefaultValue List<String> corsOrigins,
    @DefaultValue List<String> trustedProxies,
    @DefaultValue("60s") Duration upstreamTimeout,
    @DefaultValue("256KB") DataSize maxBodySize) {

  public GatewayProperties {
    services = services == null ? Map.of() : Map.copyOf(services);
  }

  /**
   * @param perAddress every request, by client address
   * @param perAccount every request with a valid access token, by account
   * @param loginPerAddress logins, registrations and second-factor steps, by client address
   */
  public record Limits(
      @DefaultValue({"100", "1s", "200"}) Limit perAddress,
      @DefaultValue({"20", "1s", "40"}) Limit perAccount,
      @DefaultValue({"30", "1m", "20"}) Limit loginPerAddress) {}

  /**
   * {@code requests} per {@code period} on average, up to {@code burst} at once.
   *
   * @param requests how many requests the budget refills per period
   * @param period the refill period
   * @param burst the most requests let through at once
   */
  public record Limit(int requests, Duration period, int burst) {

    public Limit {
      if (requests < 1 || burst < 1 || period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException(
            "a limit needs requests >= 1, burst >= 1 and a positive period");
      }
    }
  }
}
