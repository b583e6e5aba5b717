package io.guichet.ticketing.adapter.in.web;

import io.guichet.platform.ids.EmailAddress;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /tickets/{id}/transfers}.
 *
 * @param to the recipient's email address: whoever accepts must be logged in under it (they may
 *     register with it after the offer)
 */
record TransferRequest(
    @NotNull(message = "is required")
        @Size(
            min = 1,
            max = EmailAddress.MAX_LENGTH,
            message = "must be 1 to " + EmailAddress.MAX_LENGTH + " characters")
        String to) {}
