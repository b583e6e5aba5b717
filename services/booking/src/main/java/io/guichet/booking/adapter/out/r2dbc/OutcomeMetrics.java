package io.guichet.booking.adapter.out.r2dbc;

import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.RejectionReason;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.SeatsHeld;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the allocator decided, counted as the status projection commits it: {@code
 * guichet.reservations.held} and {@code guichet.seats.held} (holds per second is their rate),
 * {@code guichet.reservations.rejected} by reason, and confirmed, expired and cancelled
 * reservations. Counted from the committed topic, not inside the allocator: under exactly-once
 * processing a task may process a record several times (after a rebalance, an aborted transaction)
 * while only one outcome commits. Every series exists from the start, at zero, so that a
 * dashboard's rates have something to read before the first sale.
 */
public final class OutcomeMetrics {

  private final Counter held;
  private final Counter seatsHeld;
  private final Counter confirmed;
  private final Counter expired;
  private final Counter cancelled;
  private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);

  public OutcomeMetrics(MeterRegistry registry) {
    held = reservations(registry, "held", "Reservations whose seats the allocator held");
    seatsHeld =
        Counter.builder("guichet.seats.held")
            .description("Seats the allocator held")
            .register(registry);
    confirmed = reservations(registry, "confirmed", "Reservations paid within their hold");
    expired = reservations(registry, "expired", "Holds that ended unpaid");
    cancelled = reservations(registry, "cancelled", "Reservations cancelled");
    for (RejectionReason reason : RejectionReason.values()) {
      rejected.put(
          reason,
          Counter.builder("guichet.reservations.rejected")
              .description("Requests or late payments the allocator refused, by reason")
              .tag("reason", reason.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
  }

  private static Counter reservations(MeterRegistry registry, String what, String description) {
    return Counter.builder("guichet.reservations." + what)
        .description(description)
        .register(registry);
  }

  /** Counts one committed outcome; other events count nothing. */
  public void count(SpecificRecord event) {
    if (event instanceof SeatsHeld seats) {
      held.increment();
      seatsHeld.increment(seats.getSeats());
    } else if (event instanceof ReservationRejected rejection) {
      rejected.get(rejection.getReason()).increment();
    } else if (event instanceof ReservationConfirmed) {
      confirmed.increment();
    } else if (event instanceof HoldExpired) {
      expired.increment();
    } else if (event instanceof ReservationCancelled) {
      cancelled.increment();
    }
  }
}
