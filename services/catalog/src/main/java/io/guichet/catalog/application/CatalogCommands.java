package io.guichet.catalog.application;

import io.guichet.catalog.domain.CatalogEvent;
import io.guichet.catalog.domain.Decision;
import io.guichet.catalog.domain.EventDetails;
import io.guichet.catalog.domain.OfferTerms;
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

  private final CatalogEvents events;
  private final CatalogFacts facts;
  private final TransactionalOperator transactions;
  private final Clock clock;

  public CatalogCommands(
      CatalogEvents events, CatalogFacts facts, TransactionalOperator transactions, Clock clock) {
    this.events = events;
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

  public Mono<Decision> openSales(String eventId, Instant closesAt) {
    return change(eventId, event -> event.openSales(closesAt, clock.instant()));
  }

  public Mono<Decision> closeSales(String eventId) {
    return change(eventId, CatalogEvent::closeSales);
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
