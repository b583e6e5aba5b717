package io.guichet.booking.domain;

import io.guichet.booking.domain.EventStock.OfferStock;
import io.guichet.booking.domain.EventStock.SalesWindow;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
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

  /** A waiting-list offer's reservation id: the entry's id and this. */
  public static final String OFFER_SUFFIX = "-offer";

  /** How long seats offered from a waiting list are held when the event does not say. */
  public static final Duration DEFAULT_LIST_HOLD = Duration.ofHours(12);

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

  /** The event was scheduled or changed, with how long its waiting lists' offers are held. */
  public void eventScheduled(EventId event, Duration listHold) {
    EventStock stock = stockOf(event);
    if (state.event(event).isEmpty() || !listHold.equals(stock.listHold())) {
      state.put(stock.withListHold(listHold));
    }
  }

  /**
   * Publishes an offer or changes its terms, before any buyer waits for it (a replay, a test): more
   * seats are not offered to a waiting list.
   */
  public void offerPublished(EventId event, Offer offer) {
    state.put(stockOf(event).withOffer(offer));
  }

  /** Publishes an offer or changes its terms; seats it adds go to its waiting list first. */
  public List<Outcome> offerPublished(EventId event, Offer offer, Instant now) {
    offerPublished(event, offer);
    return offerFreedSeats(event, offer.id(), now);
  }

  /**
   * The event is sold by seat on this seating (or again, on another layout version): seats that
   * reservations hold or bought are taken in the new map where it has them.
   */
  public void seatingAssigned(Seating seating) {
    for (Reservation taking : state.takingSeats(seating.event())) {
      seating.mark(taking);
    }
    state.put(seating);
  }

  public void salesOpened(EventId event) {
    EventStock stock = stockOf(event);
    if (!stock.cancelled()) {
      state.put(stock.withSales(SalesWindow.OPEN));
    }
  }

  /** Opens sales; seats free while buyers wait (sales were closed) go to the lists first. */
  public List<Outcome> salesOpened(EventId event, Instant now) {
    salesOpened(event);
    List<Outcome> outcomes = new ArrayList<>();
    for (OfferId offer : stockOf(event).offers().keySet()) {
      outcomes.addAll(offerFreedSeats(event, offer, now));
    }
    return outcomes;
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
      Reservation cancelled = release(held, Status.CANCELLED);
      outcomes.add(new Outcome.Cancelled(cancelled, reason));
      outcomes.addAll(lapse(cancelled, "the event is cancelled"));
    }
    for (OfferId offer : stockOf(event).offers().keySet()) {
      for (WaitingEntry waiting : state.waiting(event, offer)) {
        WaitingEntry lapsed = waiting.with(WaitingEntry.Status.LAPSED);
        state.put(lapsed);
        outcomes.add(new Outcome.ListUpdated(lapsed, null, 0, "the event is cancelled"));
      }
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
    String detail = refusal.map(reason -> explain(reason, request, offer, code, now)).orElse(null);
    SeatPicker.Pick seats = null;
    if (refusal.isEmpty()) {
      SeatChoice choice = chooseSeats(request);
      refusal = Optional.ofNullable(choice.refusal());
      detail = choice.detail();
      seats = choice.pick();
    }
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
      return Optional.of(new Outcome.Rejected(rejected, refusal.get(), detail));
    }
    Offer terms = offer.orElseThrow().offer();
    int seatCount = request.quantity() * terms.seatsPerTicket();
    Money price = code.map(used -> used.reduce(terms.price())).orElse(terms.price());
    Reservation held =
        new Reservation(
            request.id(),
            request.event(),
            request.offer(),
            request.customer(),
            request.quantity(),
            seatCount,
            price.times(request.quantity()),
            now.plus(holdDuration),
            Status.HELD,
            code.map(AccessCode::id).orElse(null),
            null,
            seats == null ? List.of() : seatsOf(request.event(), seats.seats()));
    take(held);
    code.ifPresent(used -> state.put(used.withUsed(request.quantity())));
    return Optional.of(new Outcome.Held(held, seats != null && seats.split()));
  }

  /**
   * What a request that passed every other rule gets of an event's seat map: nothing to choose for
   * a general-admission offer; the seats the buyer chose if each is the offer's and all are free;
   * else the best available.
   */
  private record SeatChoice(SeatPicker.Pick pick, RejectionReason refusal, String detail) {

    static final SeatChoice NONE = new SeatChoice(null, null, null);

    static SeatChoice refused(RejectionReason reason, String detail) {
      return new SeatChoice(null, reason, detail);
    }
  }

  private SeatChoice chooseSeats(ReservationRequest request) {
    Optional<Seating> seating = state.seating(request.event());
    Optional<String> category = seating.flatMap(s -> s.category(request.offer()));
    if (category.isEmpty()) {
      return request.seats().isEmpty()
          ? SeatChoice.NONE
          : SeatChoice.refused(
              RejectionReason.UNKNOWN_SEAT,
              "offer " + request.offer().value() + " is not sold by seat: there is none to choose");
    }
    SeatMap map = seating.get().map();
    if (request.seats().isEmpty()) {
      return SeatPicker.bestAvailable(map, category.get(), request.quantity())
          .map(pick -> new SeatChoice(pick, null, null))
          .orElseGet(
              () ->
                  SeatChoice.refused(
                      RejectionReason.SOLD_OUT, map.free(category.get()) + " seats left"));
    }
    if (request.seats().size() != request.quantity()) {
      return SeatChoice.refused(
          RejectionReason.UNKNOWN_SEAT,
          "names "
              + request.seats().size()
              + " seats for "
              + request.quantity()
              + " tickets: one seat per ticket");
    }
    int[] chosen = new int[request.seats().size()];
    List<String> taken = new ArrayList<>();
    java.util.Set<Integer> named = new java.util.HashSet<>();
    for (int i = 0; i < chosen.length; i++) {
      SeatMap.SeatRef ref = request.seats().get(i);
      Optional<Integer> seat = map.seat(ref);
      if (seat.isEmpty()) {
        return SeatChoice.refused(
            RejectionReason.UNKNOWN_SEAT, "no seat " + ref + " in the event's seat map");
      }
      if (!map.category(seat.get()).equals(category.get())
          || map.status(seat.get()) == SeatMap.Status.UNSOLD) {
        return SeatChoice.refused(
            RejectionReason.UNKNOWN_SEAT,
            "seat " + ref + " is not sold by offer " + request.offer().value());
      }
      if (!named.add(seat.get())) {
        return SeatChoice.refused(RejectionReason.UNKNOWN_SEAT, "seat " + ref + " is named twice");
      }
      if (map.status(seat.get()) != SeatMap.Status.FREE) {
        taken.add(ref.toString());
      }
      chosen[i] = seat.get();
    }
    if (!taken.isEmpty()) {
      return SeatChoice.refused(
          RejectionReason.SEATS_TAKEN, "taken already: " + String.join(", ", taken));
    }
    return new SeatChoice(new SeatPicker.Pick(List.of(chosen)), null, null);
  }

  private List<SeatMap.SeatRef> seatsOf(EventId event, int[] seats) {
    return state.seating(event).orElseThrow().refs(seats);
  }

  /** Ends every hold whose time is up; their seats go back on sale. */
  public List<Outcome> expireHolds(Instant now) {
    List<Outcome> outcomes = new ArrayList<>();
    for (Reservation ended : state.holdsEndedBy(now)) {
      Reservation expired = release(ended, Status.EXPIRED);
      outcomes.add(new Outcome.Expired(expired, ended.expiresAt()));
      outcomes.addAll(afterRelease(expired, now));
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
      outcomes.addAll(afterRelease(reservation, now));
    }
    switch (reservation.status()) {
      case HELD -> {
        Reservation confirmed = reservation.with(Status.CONFIRMED);
        seatsOf(confirmed)
            .ifPresent(seats -> seats.map().sell(seats.numbers(confirmed.assignedSeats())));
        state.put(confirmed);
        outcomes.add(new Outcome.Confirmed(confirmed, paymentId));
        if (confirmed.waitingListEntry() != null) {
          state
              .entry(confirmed.waitingListEntry())
              .filter(entry -> entry.status() == WaitingEntry.Status.OFFERED)
              .ifPresent(
                  entry -> {
                    WaitingEntry claimed = entry.with(WaitingEntry.Status.CLAIMED);
                    state.put(claimed);
                    outcomes.add(new Outcome.ListUpdated(claimed, confirmed, 0, null));
                  });
        }
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

  /**
   * Cancels a held reservation and releases its seats (to the offer's waiting list first); anything
   * else is left as it is.
   */
  public List<Outcome> cancel(ReservationId id, String reason, Instant now) {
    Optional<Reservation> held =
        state
            .reservation(id)
            .filter(
                reservation -> reservation.status() == Status.HELD && !reservation.expiredAt(now));
    if (held.isEmpty()) {
      return List.of();
    }
    Reservation cancelled = release(held.get(), Status.CANCELLED);
    List<Outcome> outcomes = new ArrayList<>();
    outcomes.add(new Outcome.Cancelled(cancelled, reason));
    outcomes.addAll(afterRelease(cancelled, now));
    return outcomes;
  }

  // Waiting lists.

  /**
   * Puts a buyer on a sold-out offer's waiting list, or refuses to: an unknown, hidden or closed
   * offer, a quantity outside its limits, a buyer already on its list or over its per-customer
   * limit, or seats on sale that the buyer may simply reserve. Nothing when the entry was already
   * decided (a redelivery).
   */
  public List<Outcome> joinWaitingList(WaitingListRequest request, Instant now) {
    if (state.entry(request.entryId()).isPresent()) {
      return List.of();
    }
    Optional<EventStock> event = state.event(request.event());
    Optional<OfferStock> offer = event.flatMap(stock -> stock.offer(request.offer()));
    Optional<String> refusal = listRefusal(request, event, offer);
    if (refusal.isPresent()) {
      WaitingEntry refused =
          new WaitingEntry(
              request.entryId(),
              request.event(),
              request.offer(),
              request.customer(),
              request.quantity(),
              0,
              WaitingEntry.Status.REFUSED,
              null);
      state.put(refused);
      return List.of(new Outcome.ListUpdated(refused, null, 0, refusal.get()));
    }
    EventStock joined = event.get().withListJoin();
    state.put(joined);
    WaitingEntry entry =
        new WaitingEntry(
            request.entryId(),
            request.event(),
            request.offer(),
            request.customer(),
            request.quantity(),
            joined.listJoins(),
            WaitingEntry.Status.WAITING,
            null);
    state.put(entry);
    List<Outcome> outcomes = new ArrayList<>();
    outcomes.add(
        new Outcome.ListUpdated(
            entry, null, state.waiting(request.event(), request.offer()).size(), null));
    outcomes.addAll(offerFreedSeats(request.event(), request.offer(), now));
    return outcomes;
  }

  private Optional<String> listRefusal(
      WaitingListRequest request, Optional<EventStock> event, Optional<OfferStock> offer) {
    if (event.isEmpty()) {
      return Optional.of("no event " + request.event().value());
    }
    if (event.get().cancelled()) {
      return Optional.of("the event is cancelled");
    }
    if (offer.isEmpty() || offer.get().offer().hidden()) {
      return Optional.of(
          "no offer " + request.offer().value() + " in event " + request.event().value());
    }
    if (event.get().sales() == SalesWindow.CLOSED) {
      return Optional.of("sales are closed");
    }
    Offer terms = offer.get().offer();
    if (request.quantity() < 1 || request.quantity() > terms.maxTicketsPerOrder()) {
      return Optional.of("at most " + terms.maxTicketsPerOrder() + " tickets per order");
    }
    if (state.liveEntry(request.event(), request.offer(), request.customer()).isPresent()) {
      return Optional.of("already on this offer's waiting list");
    }
    int held = state.ticketsOf(request.event(), request.offer(), request.customer());
    if (held + request.quantity() > terms.maxTicketsPerCustomer()) {
      return Optional.of("at most " + terms.maxTicketsPerCustomer() + " tickets per customer");
    }
    if (event.get().sales() == SalesWindow.OPEN
        && state.waiting(request.event(), request.offer()).isEmpty()
        && offer.get().seatsLeft() >= request.quantity() * terms.seatsPerTicket()) {
      return Optional.of("seats are on sale: reserve them");
    }
    return Optional.empty();
  }

  /**
   * Holds the offer's free seats for its waiting entries, first joined first: each entry whose
   * tickets fit in what is left gets a hold of its own (its offer), for the event's list hold. An
   * entry that fits but whose buyer now holds too many tickets of the offer lapses. Nothing while
   * sales are not open.
   */
  private List<Outcome> offerFreedSeats(EventId eventId, OfferId offerId, Instant now) {
    EventStock event = stockOf(eventId);
    if (event.cancelled() || event.sales() != SalesWindow.OPEN || event.offer(offerId).isEmpty()) {
      return List.of();
    }
    Offer terms = event.offer(offerId).get().offer();
    Duration hold = event.listHold() == null ? DEFAULT_LIST_HOLD : event.listHold();
    List<Outcome> outcomes = new ArrayList<>();
    for (WaitingEntry entry : state.waiting(eventId, offerId)) {
      int left = stockOf(eventId).offer(offerId).orElseThrow().seatsLeft();
      if (left == 0) {
        break;
      }
      int seats = entry.quantity() * terms.seatsPerTicket();
      if (seats > left) {
        continue;
      }
      int held = state.ticketsOf(eventId, offerId, entry.customer());
      if (held + entry.quantity() > terms.maxTicketsPerCustomer()) {
        WaitingEntry lapsed = entry.with(WaitingEntry.Status.LAPSED);
        state.put(lapsed);
        outcomes.add(
            new Outcome.ListUpdated(
                lapsed,
                null,
                0,
                "the buyer already holds "
                    + held
                    + " of at most "
                    + terms.maxTicketsPerCustomer()
                    + " tickets"));
        continue;
      }
      // Sold by seat: the best seats free for the party, or the next entry (a smaller party may
      // fit where this one does not).
      Optional<String> category =
          state.seating(eventId).flatMap(seating -> seating.category(offerId));
      Optional<SeatPicker.Pick> pick =
          category.map(
              c ->
                  SeatPicker.bestAvailable(
                          state.seating(eventId).orElseThrow().map(), c, entry.quantity())
                      .orElse(null));
      if (category.isPresent() && pick.isEmpty()) {
        continue;
      }
      Reservation offered =
          new Reservation(
              new ReservationId(entry.id() + OFFER_SUFFIX),
              eventId,
              offerId,
              entry.customer(),
              entry.quantity(),
              seats,
              terms.price().times(entry.quantity()),
              now.plus(hold),
              Status.HELD,
              null,
              entry.id(),
              pick.map(seated -> seatsOf(eventId, seated.seats())).orElse(List.of()));
      take(offered);
      WaitingEntry updated = entry.with(WaitingEntry.Status.OFFERED, offered.id().value());
      state.put(updated);
      outcomes.add(new Outcome.Held(offered, pick.map(SeatPicker.Pick::split).orElse(false)));
      outcomes.add(new Outcome.ListUpdated(updated, offered, 0, null));
    }
    return outcomes;
  }

  /**
   * After a hold ended (expired, cancelled): a waiting-list offer that ended unpaid lapses, and the
   * seats go to the offer's waiting list first.
   */
  private List<Outcome> afterRelease(Reservation released, Instant now) {
    List<Outcome> outcomes = new ArrayList<>(lapse(released, "the offer ended unpaid"));
    outcomes.addAll(offerFreedSeats(released.event(), released.offer(), now));
    return outcomes;
  }

  /** The waiting-list entry a released hold was offered to lapses (if it was an offer). */
  private List<Outcome> lapse(Reservation released, String why) {
    if (released.waitingListEntry() == null) {
      return List.of();
    }
    return state
        .entry(released.waitingListEntry())
        .filter(entry -> entry.status() == WaitingEntry.Status.OFFERED)
        .map(
            entry -> {
              WaitingEntry lapsed = entry.with(WaitingEntry.Status.LAPSED);
              state.put(lapsed);
              return List.<Outcome>of(new Outcome.ListUpdated(lapsed, released, 0, why));
            })
        .orElse(List.of());
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
    seatsOf(held).ifPresent(seats -> seats.map().hold(seats.numbers(held.assignedSeats())));
    state.put(stockOf(held.event()).withSeatsTaken(held.offer(), held.seats()));
    adjustTickets(held, held.quantity());
    state.put(held);
  }

  private Reservation release(Reservation reservation, Status next) {
    Reservation released = reservation.with(next);
    if (reservation.status() == Status.HELD) {
      seatsOf(reservation)
          .ifPresent(seats -> seats.map().release(seats.numbers(reservation.assignedSeats())));
    }
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

  /** The seating of a reservation that has seats of its own. */
  private Optional<Seating> seatsOf(Reservation reservation) {
    return reservation.assignedSeats().isEmpty()
        ? Optional.empty()
        : state.seating(reservation.event());
  }

  private EventStock stockOf(EventId event) {
    return state.event(event).orElseGet(() -> EventStock.scheduled(event));
  }
}
