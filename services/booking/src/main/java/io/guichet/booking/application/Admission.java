package io.guichet.booking.application;

import io.guichet.web.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    return errors;
  }
}
