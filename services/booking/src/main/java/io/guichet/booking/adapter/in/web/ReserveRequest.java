package io.guichet.booking.adapter.in.web;

import io.guichet.booking.application.ReserveCommand;
import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.platform.ids.AccessCodes;
import io.guichet.web.constraints.Identifier;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code POST /reservations}.
 *
 * @param event the event's id
 * @param offer the offer's id within the event
 * @param quantity how many tickets of the offer
 * @param customer optional: the calling account, who the reservation is for (no one else)
 * @param accessCode optional: an access code from the organizer (presale, hidden offer, reduction)
 * @param seats optional, for an offer sold by seat: the seats chosen on the seat map, one per
 *     ticket; without them the allocator holds the best seats available
 */
record ReserveRequest(
    @NotNull(message = "is required") @Identifier String event,
    @NotNull(message = "is required") @Identifier String offer,
    @NotNull(message = "is required") @Min(value = 1, message = "must be at least 1")
        Integer quantity,
    String customer,
    @Pattern(regexp = AccessCodes.PATTERN, message = AccessCodes.RULE) String accessCode,
    @Size(max = MAX_SEATS, message = "must name at most " + MAX_SEATS + " seats")
        List<@NotNull(message = "is required") @Valid ChosenSeat> seats) {

  /** The most seats one request may name (no offer sells more tickets per order). */
  static final int MAX_SEATS = 100;

  /** A seat as the seat map names it. */
  record ChosenSeat(
      @NotNull(message = "is required") @Size(min = 1, max = 30, message = LABEL) String section,
      @NotNull(message = "is required") @Size(min = 1, max = 30, message = LABEL) String row,
      @NotNull(message = "is required") @Size(min = 1, max = 30, message = LABEL) String seat) {}

  private static final String LABEL = "must be a label of 1 to 30 characters";

  ReserveCommand command(String caller) {
    return new ReserveCommand(
        event,
        offer,
        quantity,
        caller,
        accessCode == null ? null : AccessCodes.canonical(accessCode),
        seats == null
            ? List.of()
            : seats.stream()
                .map(chosen -> new SeatRef(chosen.section(), chosen.row(), chosen.seat()))
                .toList());
  }
}
