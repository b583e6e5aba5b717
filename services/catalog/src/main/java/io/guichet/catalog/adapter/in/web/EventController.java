package io.guichet.catalog.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.catalog.application.CatalogCommands;
import io.guichet.catalog.application.CatalogEvents;
import io.guichet.catalog.domain.Decision;
import io.guichet.catalog.domain.EventDetails;
import io.guichet.catalog.domain.OfferTerms;
import io.guichet.web.FieldError;
import io.guichet.web.JsonFields;
import io.guichet.web.PageRequest;
import io.guichet.web.Problems;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /events}: organizers schedule and change events, publish offers, open and close sales and
 * cancel. Each accepted command answers the event as stored; its facts are published after the
 * commit.
 */
@RestController
public class EventController {

  private static final Logger LOG = LoggerFactory.getLogger(EventController.class);

  private final CatalogCommands commands;
  private final CatalogEvents events;

  public EventController(CatalogCommands commands, CatalogEvents events) {
    this.commands = commands;
    this.events = events;
  }

  /**
   * Schedules an event owned by the calling organizer. An admin schedules one for an organizer
   * named by {@code organizer}; an organizer may not name another.
   */
  @PostMapping(path = "/events", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> schedule(@RequestBody(required = false) String body) {
    return Caller.current()
        .flatMap(
            caller ->
                read(
                    body,
                    fields -> {
                      fields.only(CatalogJson.EVENT_FIELDS);
                      String organizer = organizer(fields, caller);
                      EventDetails details = CatalogJson.details(fields);
                      return fields.errors().isEmpty()
                          ? commands
                              .schedule(organizer, details)
                              .map(decision -> answer(decision, true))
                          : null;
                    }));
  }

  /** Who will own a new event: the organizer calling, or the one an admin names. */
  private static String organizer(JsonFields fields, Caller caller) {
    if (caller.isAdmin()) {
      return fields.id("organizer");
    }
    if (fields.has("organizer")
        && !caller.accountId().equals(fields.optionalText("organizer", 64))) {
      fields.reject("organizer", "is you: an organizer schedules only their own events");
    }
    return caller.accountId();
  }

  @GetMapping("/events/{id}")
  public Mono<ResponseEntity<?>> event(@PathVariable String id) {
    return events
        .find(id)
        .<ResponseEntity<?>>map(event -> ResponseEntity.ok(EventView.of(event)))
        .defaultIfEmpty(unknown(id));
  }

  /**
   * Events, newest first, {@code size} (1 to 100, default 20) a page from page 0; of one organizer
   * with {@code organizer}.
   */
  @GetMapping("/events")
  public Mono<ResponseEntity<?>> events(
      @RequestParam(required = false) String organizer,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size) {
    if (organizer != null && !JsonFields.ID.matcher(organizer).matches()) {
      return Mono.just(Problems.invalid(List.of(new FieldError("organizer", "must be an id"))));
    }
    return PageRequest.answer(
        page,
        size,
        request ->
            events
                .page(organizer, request.page(), request.size())
                .map(EventView::of)
                .collectList()
                .zipWith(events.count(organizer))
                .map(found -> request.of(found.getT1(), found.getT2())));
  }

  @PutMapping(path = "/events/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> change(
      @PathVariable String id, @RequestBody(required = false) String body) {
    return read(
        body,
        fields -> {
          fields.only(CatalogJson.DETAIL_FIELDS);
          EventDetails details = CatalogJson.details(fields);
          return fields.errors().isEmpty()
              ? known(id, commands.changeDetails(id, details), false)
              : null;
        });
  }

  @PostMapping(path = "/events/{id}/offers", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> publishOffer(
      @PathVariable String id, @RequestBody(required = false) String body) {
    return read(
        body,
        fields -> {
          OfferTerms terms = CatalogJson.terms(fields);
          return fields.errors().isEmpty()
              ? known(id, commands.publishOffer(id, terms), true)
              : null;
        });
  }

  /** Opens sales; the optional body may say when they close ({@code closesAt}, local time). */
  @PostMapping("/events/{id}/sales/open")
  public Mono<ResponseEntity<?>> openSales(
      @PathVariable String id, @RequestBody(required = false) String body) {
    if (body == null || body.isBlank()) {
      return known(id, commands.openSales(id, null), false);
    }
    return read(
        body,
        fields -> {
          fields.only("closesAt");
          LocalDateTime closesAt =
              fields.has("closesAt") ? CatalogJson.localTime(fields, "closesAt") : null;
          if (!fields.errors().isEmpty()) {
            return null;
          }
          return events
              .find(id)
              .flatMap(
                  event -> {
                    Instant closes =
                        closesAt == null
                            ? null
                            : closesAt.atZone(event.details().timeZone()).toInstant();
                    return known(id, commands.openSales(id, closes), false);
                  })
              .defaultIfEmpty(unknown(id));
        });
  }

  @PostMapping("/events/{id}/sales/close")
  public Mono<ResponseEntity<?>> closeSales(@PathVariable String id) {
    return known(id, commands.closeSales(id), false);
  }

  @PostMapping(path = "/events/{id}/cancel", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> cancel(
      @PathVariable String id, @RequestBody(required = false) String body) {
    return read(
        body,
        fields -> {
          fields.only("reason");
          String reason = fields.text("reason", 500);
          return fields.errors().isEmpty() ? known(id, commands.cancel(id, reason), false) : null;
        });
  }

  /**
   * Parses the body and runs the handler, which answers null when the fields have errors: those
   * become a 400 naming each field.
   */
  private Mono<ResponseEntity<?>> read(
      String body, Function<JsonFields, Mono<ResponseEntity<?>>> handler) {
    JsonFields fields;
    try {
      fields = JsonFields.parse(body);
    } catch (JsonFields.MalformedJson e) {
      return Mono.just(Problems.malformed(e.getMessage()));
    }
    Mono<ResponseEntity<?>> answer = handler.apply(fields);
    if (answer == null) {
      return Mono.just(Problems.invalid(fields.errors()));
    }
    return answer.onErrorResume(
        e -> {
          LOG.warn("catalog command failed", e);
          return Mono.just(
              Problems.unavailable(
                  "The change could not be stored; retry it.", Duration.ofSeconds(1)));
        });
  }

  private Mono<ResponseEntity<?>> known(String id, Mono<Decision> decision, boolean created) {
    return owned(
        id,
        () -> decision.<ResponseEntity<?>>map(d -> answer(d, created)).defaultIfEmpty(unknown(id)));
  }

  /**
   * Runs a change of an event if the caller may make it: its organizer, or an admin. Another
   * organizer's event is public, so the refusal is a 403, not a 404.
   */
  private Mono<ResponseEntity<?>> owned(
      String id, java.util.function.Supplier<Mono<ResponseEntity<?>>> change) {
    return Caller.current()
        .zipWith(events.find(id))
        .flatMap(
            found ->
                found.getT1().sees(found.getT2().organizerId())
                    ? change.get()
                    : Mono.just(
                        Problems.forbidden("Event " + id + " belongs to another organizer.")))
        .defaultIfEmpty(unknown(id));
  }

  private static ResponseEntity<?> answer(Decision decision, boolean created) {
    if (decision.isAccepted()) {
      EventView view = EventView.of(decision.event());
      return created
          ? ResponseEntity.status(HttpStatus.CREATED)
              .location(URI.create("/events/" + view.id()))
              .body(view)
          : ResponseEntity.ok(view);
    }
    List<FieldError> errors =
        decision.violations().stream()
            .map(v -> new FieldError(v.field() == null ? "event" : v.field(), v.message()))
            .toList();
    return decision.refusal() == Decision.Refusal.CONFLICT
        ? Problems.conflict(decision.violations().get(0).message(), errors)
        : Problems.unprocessable(errors);
  }

  private static ResponseEntity<?> unknown(String id) {
    return Problems.notFound("No event " + id + ".");
  }
}
