package io.guichet.gateway;

import io.guichet.platform.tracing.TraceParent;
import io.guichet.web.ErrorProblems;
import io.guichet.web.Problems;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends each request to the service its path belongs to and streams the answer back as it comes (an
 * event stream is flushed event by event). Hop-by-hop headers stay on their hop; the service is
 * told the client's address, host and scheme in {@code X-Forwarded-*}. A path no service serves is
 * a 404 problem; a service that does not answer, a 503 (or 504) problem: every request is answered.
 */
final class ProxyFilter implements WebFilter {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyFilter.class);

  /** RFC 9110 section 7.6.1, and the headers this gateway sets itself. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "x-forwarded-for",
          "x-forwarded-host",
          "x-forwarded-proto",
          "forwarded");

  private final WebClient client;
  private final Map<String, URI> services;
  private final ClientAddress clients;
  private final Duration timeout;
  private final long maxBody;

  /** The public port's health: UP or DOWN, no details (public-face.yml). */
  static final String HEALTH = "/health";

  /** Where the gateway serves its static pages (the waiting room...). */
  static final String PAGES = "/pages/";

  ProxyFilter(WebClient client, GatewayProperties properties, ClientAddress clients) {
    this.client = client;
    this.services = properties.services();
    this.clients = clients;
    this.timeout = properties.upstreamTimeout();
    this.maxBody = properties.maxBodySize().toBytes();
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String path = request.getPath().pathWithinApplication().value();
    if (gatewaysOwn(path)) {
      return chain.filter(exchange);
    }
    Optional<String> service = Routes.GUICHET.serviceFor(request.getPath().pathWithinApplication());
    if (service.isEmpty()) {
      return Problems.write(
          exchange.getResponse(),
          Problems.notFound("No Guichet API serves " + request.getPath().value() + "."));
    }
    URI base = services.get(service.get());
    if (base == null) {
      return Problems.write(
          exchange.getResponse(),
          Problems.unavailable(
              "The " + service.get() + " service is not available here.", Duration.ofSeconds(30)));
    }
    return Mono.deferContextual(
        context -> forward(exchange, service.get(), base, TraceParent.in(context)));
  }

  /**
   * The gateway's own: its health, the static pages people look at, the API's document, and its
   * actuator (on the management port, where these filters may run too).
   */
  static boolean gatewaysOwn(String path) {
    return path.equals(HEALTH)
        || path.startsWith("/actuator/")
        || path.startsWith(PAGES)
        || ApiDocsPaths.owns(path);
  }

  private Mono<Void> forward(
      ServerWebExchange exchange, String service, URI base, Optional<String> traceparent) {
    ServerHttpRequest request = exchange.getRequest();
    Optional<URI> address =
        UpstreamUri.of(base, request.getPath().value(), request.getURI().getRawQuery());
    if (address.isEmpty()) {
      return Problems.write(
          exchange.getResponse(),
          Problems.malformed("The request's path or query holds a malformed percent-encoding."));
    }
    URI target = address.get();
    WebClient.RequestBodySpec upstream =
        client
            .method(request.getMethod())
            .uri(target)
            .headers(headers -> forwardedHeaders(request, headers, traceparent));
    HttpHeaders incoming = request.getHeaders();
    ServerHttpResponse response = exchange.getResponse();
    if (incoming.getContentLength() > maxBody) {
      return Problems.write(response, ErrorProblems.tooLarge());
    }
    boolean hasBody =
        incoming.getContentLength() > 0 || incoming.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    WebClient.RequestHeadersSpec<?> sent =
        hasBody
            ? upstream.body(BodyInserters.fromDataBuffers(limited(request.getBody())))
            : upstream;
    return sent.retrieve()
        // Every status is an answer to pass on, not an error.
        .onStatus(status -> true, answer -> Mono.empty())
        .toEntityFlux(DataBuffer.class)
        .timeout(timeout)
        .flatMap(answer -> relay(answer, response))
        .onErrorResume(
            failure -> !response.isCommitted(), failure -> unanswered(response, service, failure));
  }

  /** A body sent without its length (chunked), cut off once it passes the limit. */
  private Flux<DataBuffer> limited(Flux<DataBuffer> body) {
    long[] seen = {0};
    return body.handle(
        (buffer, sink) -> {
          seen[0] += buffer.readableByteCount();
          if (seen[0] > maxBody) {
            DataBufferUtils.release(buffer);
            sink.error(new TooLarge());
          } else {
            sink.next(buffer);
          }
        });
  }

  /** The body passed the limit on its way to the service. */
  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  /**
   * The end-to-end headers: without the hop-by-hop ones, and without those the {@code Connection}
   * header names as hop-by-hop.
   */
  private static void copyEndToEnd(
      HttpHeaders from, java.util.function.BiConsumer<String, List<String>> to) {
    Set<String> named = new java.util.HashSet<>();
    for (String value : from.getValuesAsList(HttpHeaders.CONNECTION)) {
      named.add(value.strip().toLowerCase(java.util.Locale.ROOT));
    }
    from.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(java.util.Locale.ROOT);
          if (!HOP_BY_HOP.contains(lower) && !named.contains(lower)) {
            to.accept(name, List.copyOf(values));
          }
        });
  }

  private void forwardedHeaders(
      ServerHttpRequest request, HttpHeaders headers, Optional<String> traceparent) {
    copyEndToEnd(request.getHeaders(), headers::addAll);
    // The service's span is a child of the gateway's, which continued the caller's trace if it
    // sent one: one trace from the client to the last Kafka hop.
    headers.remove(TraceParent.HEADER);
    traceparent.ifPresent(value -> headers.set(TraceParent.HEADER, value));
    headers.set("X-Forwarded-For", clients.of(request));
    String host = request.getHeaders().getFirst(HttpHeaders.HOST);
    if (host != null) {
      headers.set("X-Forwarded-Host", host);
    }
    headers.set("X-Forwarded-Proto", request.getURI().getScheme());
  }

  private static Mono<Void> relay(ResponseEntity<Flux<DataBuffer>> answer, ServerHttpResponse to) {
    to.setStatusCode(answer.getStatusCode());
    copyEndToEnd(answer.getHeaders(), to.getHeaders()::put);
    Flux<DataBuffer> body = answer.getBody() == null ? Flux.empty() : answer.getBody();
    return to.writeAndFlushWith(body.map(Mono::just));
  }

  private static Mono<Void> unanswered(
      ServerHttpResponse response, String service, Throwable failure) {
    if (ErrorProblems.causedBy(failure, TooLarge.class) != null) {
      return Problems.write(response, ErrorProblems.tooLarge());
    }
    if (failure instanceof TimeoutException) {
      LOG.warn("{} did not answer in time", service);
      return Problems.write(
          response,
          Problems.of(
              HttpStatus.GATEWAY_TIMEOUT,
              "upstream-timeout",
              "The service did not answer in time",
              "The " + service + " service did not answer in time; retry the request.",
              List.of()));
    }
    if (!(failure instanceof WebClientRequestException)) {
      LOG.warn("relaying {}'s answer failed", service, failure);
    } else {
      LOG.warn("{} is not answering: {}", service, failure.getMessage());
    }
    return Problems.write(
        response,
        Problems.unavailable(
            "The " + service + " service is not answering; retry shortly.", Duration.ofSeconds(1)));
  }
}
