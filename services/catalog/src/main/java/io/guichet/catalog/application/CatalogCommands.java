package io.guichet.catalog.application;

import io.guichet.catalog.domain.AccessCodeTerms;
import io.guichet.catalog.domain.CatalogEvent;
import io.guichet.catalog.domain.CatalogFact;
import io.guichet.catalog.domain.Decision;
import io.guichet.catalog.domain.EventDetails;
import io.guichet.catalog.domain.OfferTerms;
import io.guichet.catalog.domain.Violation;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The organizer's commands. Each one locks its event, lets the domain decide, and saves the new
 * state with the facts to publish in one transaction (rule 1): a fact is published if and only if
 * the change it reports is stored.
 */
public final class CatalogCommands {

  /** Generated codes: no 0/O or 1/I, which buyers misread. */
  private static final char[] CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

  private static final int GENERATED_CODE_LENGTH = 10;

  private final SecureRandom random = new SecureRandom();
  private final CatalogEvents events;
  private final AccessCodeStore codes;
  private final SeatLayoutStore layouts;
  private final CatalogFacts facts;
  private final TransactionalOperator transactions;
  private final Clock clock;

  public CatalogCommands(
      CatalogEvents events,
      AccessCodeStore codes,
      SeatLayoutStore layouts,
      CatalogFacts facts,
      TransactionalOperator transactions,
      Clock clock) {
    this.events = events;
    this.codes = codes;
    this.layouts = layouts;
    this.facts = facts;
    this.transactions = transactions;
    this.clock = clock;
  }

  public Mono<Decision> schedule(String organizerId, EventDetails details) {
    Decision decision =
        CatalogEvent.schedule(UUID.randomUUID().toString(), organizerId, details, clock.instant());
    if (!decision.isAccepted()) {
      return Mono.just(decision);
    }
    return events
        .insert(decision.event())
        .then(facts.record(decision.facts()))
        .thenReturn(decision)
        .as(transactions::transactional)
        .doOnSuccess(this::announce);
  }

  public Mono<Decision> changeDetails(String eventId, EventDetails details) {
    return change(eventId, event -> event.changeDetails(details));
  }

  public Mono<Decision> publishOffer(String eventId, OfferTerms terms) {
    String offerId = UUID.randomUUID().toString();
    return change(eventId, event -> event.publishOffer(offerId, terms));
  }

  /**
   * Seats the event on a version of a seat layout ({@link CatalogEvent#assignSeating}); a layout or
   * version that does not exist is a 422. Empty if the event is unknown.
   */
  public Mono<Decision> assignSeating(String eventId, String layoutId, int version) {
    return layouts
        .version(layoutId, version)
        .map(java.util.Optional::of)
        .defaultIfEmpty(java.util.Optional.empty())
        .flatMap(
            layout ->
                layout.isPresent()
                    ? change(eventId, event -> event.assignSeating(layout.get()))
                    : events
                        .find(eventId)
                        .map(
                            event ->
                                Decision.invalid(
                                    java.util.List.of(
                                        new Violation(
                                            "layout",
                                            "no seat layout "
                                                + layoutId
                                                + " has a version "
                                                + version)))));
  }

  public Mono<Decision> openSales(String eventId, Instant closesAt) {
    return change(eventId, event -> event.openSales(closesAt, clock.instant()));
  }

  public Mono<Decision> closeSales(String eventId) {
    return change(eventId, CatalogEvent::closeSales);
  }

  /**
   * Creates an access code for the event (a generated one when {@code terms.code()} is null). The
   * code and its fact are stored in one transaction under the event's lock; a code the event
   * already has is a conflict. Empty if the event is unknown.
   */
  public Mono<Decision> createAccessCode(String eventId, AccessCodeTerms terms) {
    AccessCodeTerms named =
        terms.code() != null
            ? terms
            : new AccessCodeTerms(
                generatedCode(),
                terms.offerIds(),
                terms.uses(),
                terms.validFrom(),
                terms.validUntil(),
                terms.presale(),
                terms.discountBasisPoints());
    String codeId = UUID.randomUUID().toString();
    return events
        .lock(eventId)
        .flatMap(
            current -> {
              Decision decision = current.createAccessCode(codeId, named, clock.instant());
              if (!decision.isAccepted()) {
                return Mono.just(decision);
              }
              CatalogFact.AccessCodeCreated created =
                  (CatalogFact.AccessCodeCreated) decision.facts().get(0);
              return codes
                  .insert(created.code())
                  .flatMap(
                      inserted ->
                          inserted
                              ? facts.record(decision.facts()).thenReturn(decision)
                              : Mono.just(
                                  Decision.conflict(
                                      "event " + eventId + " already has code " + named.code())));
            })
        .as(transactions::transactional)
        .doOnSuccess(this::announce);
  }

  private String generatedCode() {
    char[] code = new char[GENERATED_CODE_LENGTH];
    for (int i = 0; i < code.length; i++) {
      code[i] = CODE_ALPHABET[random.nextInt(CODE_ALPHABET.length)];
    }
    return new String(code);
  }

  /** When the next planned close comes, if any sale has one. */
  public Mono<Instant> nextPlannedClose() {
    return events.nextClose();
  }

  /**
   * Closes the sales of every event whose planned close has come. Each is decided under its row
   * lock, so instances doing this at once close each event once.
   *
   * @return how many were closed
   */
  public Mono<Long> closeDueSales() {
    Instant now = clock.instant();
    return events
        .dueToClose(now)
        .concatMap(
            eventId ->
                events
                    .lock(eventId)
                    .flatMap(
                        current ->
                            Mono.justOrEmpty(current.closeIfDue(now))
                                .filter(Decision::isAccepted)
                                .flatMap(
                                    decision ->
                                        events
                                            .update(decision.event())
                                            .then(facts.record(decision.facts()))
                                            .thenReturn(decision)))
                    .as(transactions::transactional)
                    .doOnSuccess(this::announce))
        .count();
  }

  public Mono<Decision> cancel(String eventId, String reason) {
    return change(eventId, event -> event.cancel(reason));
  }

  /** Empty if the event is unknown. */
  private Mono<Decision> change(String eventId, Function<CatalogEvent, Decision> command) {
    return events
        .lock(eventId)
        .flatMap(
            current -> {
              Decision decision = command.apply(current);
              if (!decision.isAccepted()) {
                return Mono.just(decision);
              }
              return events
                  .update(decision.event())
                  .then(facts.record(decision.facts()))
                  .thenReturn(decision);
            })
        .as(transactions::transactional)
        .doOnSuccess(this::announce);
  }

  private void announce(Decision decision) {
    if (decision != null && decision.isAccepted()) {
      facts.committed();
    }
  }
}
