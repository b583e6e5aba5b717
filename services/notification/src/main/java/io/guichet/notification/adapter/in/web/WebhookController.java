package io.guichet.notification.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.notification.adapter.out.r2dbc.WebhookProjection;
import io.guichet.notification.application.WebhookDispatcher;
import io.guichet.notification.application.WebhookStore;
import io.guichet.notification.application.Webhooks;
import io.guichet.notification.domain.WebhookAddresses;
import io.guichet.web.FieldError;
import io.guichet.web.PageRequest;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Admins register partners' endpoints and the event types they want, read each endpoint's delivery
 * log, and replay a delivery (dead-lettered, or delivered and wanted again).
 */
@RestController
public class WebhookController {

  private static final Set<String> STATUSES =
      Set.of("PENDING", "SENDING", "RETRYING", "DELIVERED", "DEAD");

  private final Webhooks webhooks;
  private final WebhookStore store;
  private final WebhookDispatcher dispatcher;
  private final Clock clock;
  private final boolean plainHttpAllowed;
  private final WebhookAddresses addresses;

  /**
   * @param plainHttpAllowed whether endpoints may be {@code http://} (development, tests);
   *     otherwise only {@code https://}
   */
  public WebhookController(
      Webhooks webhooks,
      WebhookStore store,
      WebhookDispatcher dispatcher,
      Clock clock,
      WebhookAddresses addresses,
      @Value("${guichet.notification.webhooks.allow-plain-http:false}") boolean plainHttpAllowed) {
    this.addresses = addresses;
    this.webhooks = webhooks;
    this.store = store;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.plainHttpAllowed = plainHttpAllowed;
  }

  @ApiResponse(
      responseCode = "201",
      description = "The webhook and its signing secret (shown once)")
  @PostMapping(path = "/partners/webhooks", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> register(@Valid @RequestBody WebhookRequest body) {
    List<FieldError> errors = new ArrayList<>();
    String url = url(body.url().strip(), errors);
    List<String> types = eventTypes(body.eventTypes(), errors);
    if (!errors.isEmpty()) {
      return Mono.just(Problems.invalid(errors));
    }
    String description = body.description() == null ? null : body.description().strip();
    return Mono.fromCallable(() -> internal(URI.create(url).getHost()))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            refusal ->
                refusal.isPresent()
                    ? Mono.<ResponseEntity<?>>just(
                        Problems.invalid(
                            List.of(
                                new FieldError("url", "is not delivered to: " + refusal.get()))))
                    : registered(url, types, description));
  }

  /**
   * Why the host may not receive webhooks (an internal address, or none at all), or empty. It is
   * checked again at every delivery, on the address connected to.
   */
  private java.util.Optional<String> internal(String host) {
    java.net.InetAddress[] resolved;
    try {
      resolved = java.net.InetAddress.getAllByName(host);
    } catch (java.net.UnknownHostException e) {
      return java.util.Optional.of("its host does not resolve");
    }
    for (java.net.InetAddress address : resolved) {
      java.util.Optional<String> refusal = addresses.refusal(address);
      if (refusal.isPresent()) {
        return refusal;
      }
    }
    return java.util.Optional.empty();
  }

  private Mono<ResponseEntity<?>> registered(String url, List<String> types, String description) {
    return Caller.current()
        .flatMap(caller -> webhooks.register(url, types, description, caller.accountId()))
        .map(
            registered -> {
              Map<String, Object> view = new LinkedHashMap<>();
              view.put("webhook", registered.webhook());
              view.put("secret", registered.secret());
              view.put(
                  "signature",
                  "Guichet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of"
                      + " \"<t>.<body>\" under the secret's bytes (Base64url-decoded)>");
              return ResponseEntity.created(
                      URI.create("/partners/webhooks/" + registered.webhook().webhookId()))
                  .body(view);
            });
  }

  private String url(String url, List<FieldError> errors) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean allowed = scheme.equals("https") || (plainHttpAllowed && scheme.equals("http"));
      if (!allowed || uri.getHost() == null || uri.getUserInfo() != null) {
        errors.add(
            new FieldError(
                "url",
                plainHttpAllowed
                    ? "must be an http or https URL with a host and no credentials"
                    : "must be an https URL with a host and no credentials"));
        return null;
      }
      return url;
    } catch (java.net.URISyntaxException e) {
      errors.add(new FieldError("url", "is not a URL"));
      return null;
    }
  }

  private static List<String> eventTypes(List<String> types, List<FieldError> errors) {
    List<String> unknown =
        types.stream().filter(t -> !WebhookProjection.EVENT_TYPES.contains(t.strip())).toList();
    if (!unknown.isEmpty()) {
      errors.add(
          new FieldError(
              "eventTypes",
              "has unknown types "
                  + unknown
                  + "; known: "
                  + new java.util.TreeSet<>(WebhookProjection.EVENT_TYPES)));
      return null;
    }
    return List.copyOf(new java.util.LinkedHashSet<>(types.stream().map(String::strip).toList()));
  }

  @ApiResponse(responseCode = "200", description = "A page of webhooks")
  @GetMapping("/partners/webhooks")
  public Mono<ResponseEntity<?>> list(
      @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
    return PageRequest.answerInRange(page, size, store::webhooks);
  }

  @ApiResponse(
      responseCode = "200",
      description = "The webhook",
      content =
          @Content(schema = @Schema(implementation = io.guichet.notification.domain.Webhook.class)))
  @GetMapping("/partners/webhooks/{id}")
  public Mono<ResponseEntity<?>> webhook(@PathVariable @Identifier String id) {
    return store.webhook(id).<ResponseEntity<?>>map(ResponseEntity::ok).defaultIfEmpty(unknown(id));
  }

  @ApiResponse(responseCode = "204", description = "Deactivated", content = @Content)
  @DeleteMapping("/partners/webhooks/{id}")
  public Mono<ResponseEntity<?>> deactivate(@PathVariable @Identifier String id) {
    return store
        .deactivate(id)
        .map(found -> found ? ResponseEntity.noContent().build() : unknown(id));
  }

  @ApiResponse(responseCode = "200", description = "A page of the webhook's deliveries")
  @GetMapping("/partners/webhooks/{id}/deliveries")
  public Mono<ResponseEntity<?>> deliveries(
      @PathVariable @Identifier String id,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      @RequestParam(required = false) String status) {
    String wanted = status == null ? null : status.toUpperCase(Locale.ROOT);
    if (wanted != null && !STATUSES.contains(wanted)) {
      return Mono.just(
          Problems.invalid(
              List.of(
                  new FieldError(
                      "status", "must be one of " + new java.util.TreeSet<>(STATUSES)))));
    }
    return store
        .webhook(id)
        .flatMap(
            found ->
                PageRequest.answerInRange(
                    page, size, request -> store.deliveries(id, wanted, request)))
        .defaultIfEmpty(unknown(id));
  }

  @ApiResponse(
      responseCode = "202",
      description = "The delivery is pending again",
      content =
          @Content(
              schema = @Schema(implementation = io.guichet.notification.domain.Delivery.class)))
  @ProblemResponses({409})
  @PostMapping("/partners/webhooks/{id}/deliveries/{deliveryId}/replay")
  public Mono<ResponseEntity<?>> replay(
      @PathVariable @Identifier String id, @PathVariable @Identifier String deliveryId) {
    return store
        .delivery(id, deliveryId)
        .flatMap(
            delivery ->
                store
                    .replay(id, deliveryId, clock.instant())
                    .flatMap(
                        replayed -> {
                          if (!replayed) {
                            return Mono.just(
                                Problems.conflict(
                                    "Delivery "
                                        + deliveryId
                                        + " is "
                                        + delivery.status()
                                        + ": only dead or delivered deliveries are replayed."));
                          }
                          dispatcher.nudge();
                          return store
                              .delivery(id, deliveryId)
                              .<ResponseEntity<?>>map(
                                  again ->
                                      ResponseEntity.accepted()
                                          .location(
                                              URI.create(
                                                  "/partners/webhooks/"
                                                      + id
                                                      + "/deliveries?status=PENDING"))
                                          .body(again));
                        }))
        .defaultIfEmpty(
            Problems.notFound("No delivery " + deliveryId + " of webhook " + id + " is known."));
  }

  private static ResponseEntity<?> unknown(String id) {
    return Problems.notFound("No webhook " + id + " is known.");
  }
}
