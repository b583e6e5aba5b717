package io.guichet.booking.application;

import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.web.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a well-formed request against what booking knows of the catalog. It refuses what can never
 * succeed (unknown event or offer, quantity outside the offer's limits, cancelled event); whether
 * seats are left and sales are open is the allocator's decision, in order, not the front door's.
 */
public final class Admission {

  private final CatalogView catalog;

  public Admission(CatalogView catalog) {
    this.catalog = catalog;
  }

  /** The field errors of this request; empty when it may be published. */
  public List<FieldError> check(ReserveCommand command) {
    List<FieldError> errors = new ArrayList<>();
    if (command.quantity() < 1) {
      errors.add(new FieldError("quantity", "must be at least 1"));
    }
    if (!catalog.knowsEvent(command.event())) {
      errors.add(new FieldError("event", "no event " + command.event() + " is published"));
      return errors;
    }
    Optional<CatalogView.OfferLimits> offer = catalog.offer(command.event(), command.offer());
    // A hidden offer does not exist for a buyer without a code (whether the code unlocks it is
    // the allocator's decision, which counts its uses).
    if (offer.isEmpty() || (offer.get().hidden() && command.accessCode() == null)) {
      errors.add(
          new FieldError("offer", "event " + command.event() + " has no offer " + command.offer()));
      return errors;
    }
    if (offer.get().eventCancelled()) {
      errors.add(new FieldError("event", "event " + command.event() + " is cancelled"));
    }
    int max = offer.get().maxTicketsPerOrder();
    if (command.quantity() > max) {
      errors.add(new FieldError("quantity", "must be at most " + max + " for this offer"));
    }
    if (!command.seats().isEmpty()) {
      errors.addAll(checkSeats(command));
    }
    return errors;
  }

  /**
   * The seats a buyer chose: each in the event's seat map, sold by the offer, named once, one per
   * ticket. Whether they are free is the allocator's decision, in order.
   */
  private List<FieldError> checkSeats(ReserveCommand command) {
    Optional<String> category = catalog.seatCategory(command.event(), command.offer());
    if (category.isEmpty()) {
      return List.of(
          new FieldError(
              "seats", "offer " + command.offer() + " is not sold by seat: leave seats out"));
    }
    List<FieldError> errors = new ArrayList<>();
    if (command.seats().size() != command.quantity()) {
      errors.add(
          new FieldError(
              "seats",
              "names "
                  + command.seats().size()
                  + " seats for a quantity of "
                  + command.quantity()
                  + ": one seat per ticket"));
    }
    Set<SeatRef> named = new HashSet<>();
    for (int i = 0; i < command.seats().size() && errors.size() < MAX_SEAT_ERRORS; i++) {
      SeatRef seat = command.seats().get(i);
      String field = "seats[" + i + "]";
      Optional<CatalogView.SeatFacts> facts = catalog.seat(command.event(), seat);
      if (facts.isEmpty()) {
        errors.add(new FieldError(field, "no seat " + seat + " in the event's seat map"));
      } else if (!facts.get().sellable() || !facts.get().category().equals(category.get())) {
        errors.add(
            new FieldError(field, "seat " + seat + " is not sold by offer " + command.offer()));
      } else if (!named.add(seat)) {
        errors.add(new FieldError(field, "seat " + seat + " is named twice"));
      }
    }
    return errors;
  }

  /** A request naming many bad seats is told of the first ones. */
  private static final int MAX_SEAT_ERRORS = 20;
}
