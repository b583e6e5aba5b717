package io.guichet.booking.adapter.in.web;

import io.guichet.booking.application.ReserveCommand;
import io.guichet.platform.ids.AccessCodes;
import io.guichet.web.constraints.Identifier;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The body of {@code POST /reservations}.
 *
 * @param event the event's id
 * @param offer the offer's id within the event
 * @param quantity how many tickets of the offer
 * @param customer optional: the calling account, who the reservation is for (no one else)
 * @param accessCode optional: an access code from the organizer (presale, hidden offer, reduction)
 */
record ReserveRequest(
    @NotNull(message = "is required") @Identifier String event,
    @NotNull(message = "is required") @Identifier String offer,
    @NotNull(message = "is required") @Min(value = 1, message = "must be at least 1")
        Integer quantity,
    String customer,
    @Pattern(regexp = AccessCodes.PATTERN, message = AccessCodes.RULE) String accessCode) {

  ReserveCommand command(String caller) {
    return new ReserveCommand(
        event,
        offer,
        quantity,
        caller,
        accessCode == null ? null : AccessCodes.canonical(accessCode));
  }
}
