package io.guichet.booking.adapter.in.kafka;

import io.guichet.booking.domain.Outcome;
import io.guichet.booking.domain.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the allocator decided, counted: {@code guichet.reservations.held} and {@code
 * guichet.seats.held} (holds per second is their rate), {@code guichet.reservations.rejected} by
 * reason, and confirmed, expired and cancelled reservations. Every series exists from the start, at
 * zero, so that a dashboard's rates have something to read before the first sale.
 */
public final class AllocatorMetrics {

  private final Counter held;
  private final Counter seatsHeld;
  private final Counter confirmed;
  private final Counter expired;
  private final Counter cancelled;
  private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);

  public AllocatorMetrics(MeterRegistry registry) {
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

  /** Counts one decision. */
  void count(Outcome outcome) {
    if (outcome instanceof Outcome.Held) {
      held.increment();
      seatsHeld.increment(outcome.reservation().seats());
    } else if (outcome instanceof Outcome.Rejected rejection) {
      rejected.get(rejection.reason()).increment();
    } else if (outcome instanceof Outcome.Confirmed) {
      confirmed.increment();
    } else if (outcome instanceof Outcome.Expired) {
      expired.increment();
    } else if (outcome instanceof Outcome.Cancelled) {
      cancelled.increment();
    }
  }
}
