package io.guichet.booking.domain;

import io.guichet.booking.domain.EventStock.OfferStock;
import io.guichet.booking.domain.EventStock.SalesWindow;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Reservation.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one writer of an event's seats. It sees the event's catalog facts, requests, payments and
 * cancellations in partition order and decides each once: a request delivered twice, or a payment
 * reported twice, gets no second outcome.
 */
public final class Allocator {

  private final AllocationState state;
  private final Duration holdDuration;

  public Allocator(AllocationState state, Duration holdDuration) {
    if (holdDuration.isNegative() || holdDuration.isZero()) {
      throw new IllegalArgumentException("hold duration must be positive");
    }
    this.state = state;
    this.holdDuration = holdDuration;
  }

  // Catalog facts.

  public void eventScheduled(EventId event) {
    if (state.event(event).isEmpty()) {
      state.put(EventStock.scheduled(event));
    }
  }

  public void offerPublished(EventId event, Offer offer) {
    state.put(stockOf(event).withOffer(offer));
  }

  public void salesOpened(EventId event) {
    EventStock stock = stockOf(event);
    if (!stock.cancelled()) {
      state.put(stock.withSales(SalesWindow.OPEN));
    }
  }

  public void salesClosed(EventId event) {
    state.put(stockOf(event).withSales(SalesWindow.CLOSED));
  }

  /**
   * An access code was created (or published again with new terms: the uses it already has stay
   * counted).
   */
  public void accessCodeCreated(AccessCode code) {
    state.put(
        state
            .codeById(code.event(), code.id())
            .map(existing -> existing.withTermsOf(code))
            .orElse(code));
  }

  /** Stops all sales of the event and releases its holds; paid ones are refunded by payment. */
  public List<Outcome> eventCancelled(EventId event, String reason) {
    state.put(stockOf(event).asCancelled());
    List<Outcome> outcomes = new ArrayList<>();
    for (Reservation held : state.holdsOf(event)) {
      outcomes.add(new Outcome.Cancelled(release(held, Status.CANCELLED), reason));
    }
    return outcomes;
  }

  // Buyers' requests, payments and cancellations.

  /** Decides a request, or nothing when this reservation was already decided (a redelivery). */
  public Optional<Outcome> request(ReservationRequest request, Instant now) {
    if (state.reservation(request.id()).isPresent()) {
      return Optional.empty();
    }
    Optional<EventStock> event = state.event(request.event());
    Optional<OfferStock> offer = event.flatMap(stock -> stock.offer(request.offer()));
    Optional<AccessCode> code =
        request.codeDigest() == null
            ? Optional.empty()
            : state.code(request.event(), request.codeDigest());
    Optional<RejectionReason> refusal = refusal(request, event, offer, code, now);
    if (refusal.isPresent()) {
      Reservation rejected =
          new Reservation(
              request.id(),
              request.event(),
              request.offer(),
              request.customer(),
              request.quantity(),
              0,
              null,
              null,
              Status.REJECTED);
      state.put(rejected);
      return Optional.of(
          new Outcome.Rejected(
              rejected, refusal.get(), explain(refusal.get(), request, offer, code, now)));
    }
    Offer terms = offer.orElseThrow().offer();
    int seats = request.quantity() * terms.seatsPerTicket();
    Money price = code.map(used -> used.reduce(terms.price())).orElse(terms.price());
    Reservation held =
        new Reservation(
            request.id(),
            request.event(),
            request.offer(),
            request.customer(),
            request.quantity(),
            seats,
            price.times(request.quantity()),
            now.plus(holdDuration),
            Status.HELD,
            code.map(AccessCode::id).orElse(null));
    take(held);
    code.ifPresent(used -> state.put(used.withUsed(request.quantity())));
    return Optional.of(new Outcome.Held(held));
  }

  /** Ends every hold whose time is up; their seats go back on sale. */
  public List<Outcome> expireHolds(Instant now) {
    List<Outcome> outcomes = new ArrayList<>();
    for (Reservation ended : state.holdsEndedBy(now)) {
      outcomes.add(new Outcome.Expired(release(ended, Status.EXPIRED), ended.expiresAt()));
    }
    return outcomes;
  }

  /**
   * A payment was captured: within the hold it confirms the seats; after it, the reservation is
   * rejected with HOLD_EXPIRED so that payment refunds. A payment reported again gets nothing.
   */
  public List<Outcome> paymentCaptured(ReservationId id, String paymentId, Instant now) {
    Optional<Reservation> found = state.reservation(id);
    if (found.isEmpty()) {
      return List.of();
    }
    Reservation reservation = found.get();
    List<Outcome> outcomes = new ArrayList<>();
    if (reservation.expiredAt(now)) {
      reservation = release(reservation, Status.EXPIRED);
      outcomes.add(new Outcome.Expired(reservation, reservation.expiresAt()));
    }
    switch (reservation.status()) {
      case HELD -> {
        Reservation confirmed = reservation.with(Status.CONFIRMED);
        state.put(confirmed);
        outcomes.add(new Outcome.Confirmed(confirmed, paymentId));
      }
      case EXPIRED, CANCELLED ->
          outcomes.add(
              new Outcome.Rejected(
                  reservation,
                  RejectionReason.HOLD_EXPIRED,
                  "payment " + paymentId + " arrived after the hold ended"));
      default -> {
        // CONFIRMED: the same payment again; REJECTED: never held. Nothing new to say.
      }
    }
    return outcomes;
  }

  /** Cancels a held reservation and releases its seats; anything else is left as it is. */
  public Optional<Outcome> cancel(ReservationId id, String reason, Instant now) {
    return state
        .reservation(id)
        .filter(reservation -> reservation.status() == Status.HELD && !reservation.expiredAt(now))
        .map(held -> new Outcome.Cancelled(release(held, Status.CANCELLED), reason));
  }

  private Optional<RejectionReason> refusal(
      ReservationRequest request,
      Optional<EventStock> event,
      Optional<OfferStock> offer,
      Optional<AccessCode> code,
      Instant now) {
    if (event.isEmpty()) {
      return Optional.of(RejectionReason.UNKNOWN_EVENT);
    }
    if (event.get().cancelled()) {
      return Optional.of(RejectionReason.EVENT_CANCELLED);
    }
    if (offer.isEmpty()) {
      return Optional.of(RejectionReason.UNKNOWN_OFFER);
    }
    if (request.codeDigest() != null
        && (code.isEmpty() || !code.get().appliesTo(request.offer()) || !code.get().validAt(now))) {
      return Optional.of(RejectionReason.INVALID_CODE);
    }
    Offer terms = offer.get().offer();
    // A hidden offer does not exist for a buyer without a code that unlocks it.
    if (terms.hidden() && code.isEmpty()) {
      return Optional.of(RejectionReason.UNKNOWN_OFFER);
    }
    if (event.get().sales() == SalesWindow.NOT_OPEN
        && !code.map(AccessCode::presale).orElse(false)) {
      return Optional.of(RejectionReason.SALES_NOT_OPEN);
    }
    if (event.get().sales() == SalesWindow.CLOSED) {
      return Optional.of(RejectionReason.SALES_CLOSED);
    }
    if (request.quantity() < 1 || request.quantity() > terms.maxTicketsPerOrder()) {
      return Optional.of(RejectionReason.LIMIT_EXCEEDED);
    }
    // Sold out before the customer's count: once an on-sale is sold out, most requests end here,
    // and this answer needs no state lookup.
    if (request.quantity() * terms.seatsPerTicket() > offer.get().seatsLeft()) {
      return Optional.of(RejectionReason.SOLD_OUT);
    }
    if (code.isPresent() && request.quantity() > code.get().left()) {
      return Optional.of(RejectionReason.CODE_USED_UP);
    }
    int alreadyHeld = state.ticketsOf(request.event(), request.offer(), request.customer());
    if (alreadyHeld + request.quantity() > terms.maxTicketsPerCustomer()) {
      return Optional.of(RejectionReason.LIMIT_EXCEEDED);
    }
    return Optional.empty();
  }

  private static String explain(
      RejectionReason reason,
      ReservationRequest request,
      Optional<OfferStock> offer,
      Optional<AccessCode> code,
      Instant now) {
    return switch (reason) {
      case LIMIT_EXCEEDED ->
          offer
              .map(
                  o ->
                      "at most %d tickets per order and %d per customer"
                          .formatted(
                              o.offer().maxTicketsPerOrder(), o.offer().maxTicketsPerCustomer()))
              .orElse("limit exceeded");
      case SOLD_OUT -> offer.map(o -> o.seatsLeft() + " seats left").orElse("sold out");
      case UNKNOWN_EVENT -> "no event " + request.event().value();
      case UNKNOWN_OFFER ->
          "no offer " + request.offer().value() + " in event " + request.event().value();
      case INVALID_CODE ->
          code.filter(c -> c.appliesTo(request.offer()))
              .map(
                  c ->
                      c.validFrom() != null && now.isBefore(c.validFrom())
                          ? "the access code is valid from " + c.validFrom()
                          : "the access code expired at " + c.validUntil())
              .orElse("the access code does not apply to this offer");
      case CODE_USED_UP ->
          code.map(c -> "the access code has " + c.left() + " uses left")
              .orElse("the access code is used up");
      default -> reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    };
  }

  private void take(Reservation held) {
    state.put(stockOf(held.event()).withSeatsTaken(held.offer(), held.seats()));
    adjustTickets(held, held.quantity());
    state.put(held);
  }

  private Reservation release(Reservation reservation, Status next) {
    Reservation released = reservation.with(next);
    if (reservation.status().takesSeats()) {
      state.put(
          stockOf(reservation.event()).withSeatsTaken(reservation.offer(), -reservation.seats()));
      adjustTickets(reservation, -reservation.quantity());
      if (reservation.accessCode() != null) {
        state
            .codeById(reservation.event(), reservation.accessCode())
            .ifPresent(code -> state.put(code.withUsed(-reservation.quantity())));
      }
    }
    state.put(released);
    return released;
  }

  private void adjustTickets(Reservation reservation, int delta) {
    int tickets = state.ticketsOf(reservation.event(), reservation.offer(), reservation.customer());
    state.putTicketsOf(
        reservation.event(),
        reservation.offer(),
        reservation.customer(),
        Math.max(0, tickets + delta));
  }

  private EventStock stockOf(EventId event) {
    return state.event(event).orElseGet(() -> EventStock.scheduled(event));
  }
}
