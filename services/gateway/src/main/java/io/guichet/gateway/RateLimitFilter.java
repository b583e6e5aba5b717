package io.guichet.gateway;

import io.guichet.web.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The request budgets: every request against its client address's; logins, registrations and
 * second-factor steps also against a tighter one; a request with a valid access token also against
 * its account's (an invalid token is not counted for anyone: the service refuses it). Past a
 * budget, 429 with Retry-After, and the request goes no further.
 */
final class RateLimitFilter implements WebFilter {

  private final TokenBuckets perAddress;
  private final TokenBuckets perAccount;
  private final TokenBuckets loginPerAddress;
  private final ClientAddress clients;
  private final ReactiveJwtDecoder tokens;
  private final Counter refusedPerAddress;
  private final Counter refusedLogin;
  private final Counter refusedPerAccount;

  RateLimitFilter(
      GatewayProperties.Limits limits,
      ClientAddress clients,
      ReactiveJwtDecoder tokens,
      MeterRegistry registry) {
    this.refusedPerAddress = refused(registry, "address");
    this.refusedLogin = refused(registry, "login");
    this.refusedPerAccount = refused(registry, "account");
    this.perAddress = new TokenBuckets(limits.perAddress());
    this.perAccount = new TokenBuckets(limits.perAccount());
    this.loginPerAddress = new TokenBuckets(limits.loginPerAddress());
    this.clients = clients;
    this.tokens = tokens;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String path = request.getPath().pathWithinApplication().value();
    if (path.equals(ProxyFilter.HEALTH) || path.startsWith("/actuator/")) {
      return chain.filter(exchange);
    }
    String address = clients.of(request);
    Duration wait = perAddress.take(address);
    if (!wait.isZero()) {
      refusedPerAddress.increment();
      return refuse(exchange, wait, "this address");
    }
    if (isLogin(request)) {
      wait = loginPerAddress.take(address);
      if (!wait.isZero()) {
        refusedLogin.increment();
        return refuse(exchange, wait, "this address");
      }
    }
    String bearer = bearer(request.getHeaders());
    if (bearer == null) {
      return chain.filter(exchange);
    }
    return tokens
        .decode(bearer)
        .map(jwt -> perAccount.take(jwt.getSubject()))
        .onErrorResume(invalid -> Mono.just(Duration.ZERO))
        .flatMap(
            accountWait ->
                accountWait.isZero()
                    ? chain.filter(exchange)
                    : refusedAccount(exchange, accountWait));
  }

  private Mono<Void> refusedAccount(ServerWebExchange exchange, Duration wait) {
    refusedPerAccount.increment();
    return refuse(exchange, wait, "this account");
  }

  private static Counter refused(MeterRegistry registry, String limit) {
    return Counter.builder("guichet.gateway.refused")
        .description("Requests the gateway refused with 429, by the limit they ran into")
        .tag("limit", limit)
        .register(registry);
  }

  /** Forgets the budgets of keys idle long enough to be full again. */
  void forgetIdle() {
    perAddress.forgetIdle();
    perAccount.forgetIdle();
    loginPerAddress.forgetIdle();
  }

  private static boolean isLogin(ServerHttpRequest request) {
    return request.getMethod() == HttpMethod.POST
        && Routes.LOGIN.matches(request.getPath().pathWithinApplication());
  }

  private static String bearer(HttpHeaders headers) {
    String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  private static Mono<Void> refuse(ServerWebExchange exchange, Duration wait, String whose) {
    Duration retryAfter = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
    return Problems.write(
        exchange.getResponse(),
        Problems.tooManyRequests(
            "Too many requests from " + whose + "; retry after " + retryAfter.toSeconds() + " s.",
            retryAfter));
  }
}
