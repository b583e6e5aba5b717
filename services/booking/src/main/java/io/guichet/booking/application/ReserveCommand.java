package io.guichet.booking.application;

import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.platform.ids.AccessCodes;
import java.util.List;

/**
 * A buyer's request to reserve, well formed (every field present and of the right type). Whether it
 * makes sense against the catalog is {@link Admission}'s question.
 *
 * @param event the event id
 * @param offer the offer id
 * @param quantity tickets asked for
 * @param customer the buyer's account id
 * @param accessCode the access code the buyer gave, or null
 * @param seats the seats the buyer chose, for an offer sold by seat; empty for the best available
 */
public record ReserveCommand(
    String event,
    String offer,
    int quantity,
    String customer,
    String accessCode,
    List<SeatRef> seats) {

  public ReserveCommand {
    seats = seats == null ? List.of() : List.copyOf(seats);
  }

  /** A request without chosen seats. */
  public ReserveCommand(
      String event, String offer, int quantity, String customer, String accessCode) {
    this(event, offer, quantity, customer, accessCode, List.of());
  }

  /** A request without an access code. */
  public ReserveCommand(String event, String offer, int quantity, String customer) {
    this(event, offer, quantity, customer, null);
  }

  /** What makes two requests the same request, for idempotency keys. */
  public String fingerprint() {
    String base = event + '\n' + offer + '\n' + quantity + '\n' + customer;
    // Requests without a code keep the fingerprint they had before codes existed.
    String withCode = accessCode == null ? base : base + '\n' + AccessCodes.canonical(accessCode);
    // So do requests without seats; chosen seats are part of what was asked.
    return seats.isEmpty()
        ? withCode
        : withCode
            + "\nseats"
            + seats.stream()
                .map(seat -> '\n' + seat.section() + '\t' + seat.row() + '\t' + seat.seat())
                .collect(java.util.stream.Collectors.joining());
  }
}
