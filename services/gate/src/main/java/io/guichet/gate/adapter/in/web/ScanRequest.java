package io.guichet.gate.adapter.in.web;

import io.guichet.web.constraints.Identifier;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /scans}.
 *
 * @param payload what the scanner read from the ticket: its rotating code ({@code
 *     GT2.<claims>.<signature>.<step>.<code>}) or its static code ({@code
 *     GT1.<claims>.<signature>})
 * @param gate which entrance scanned it
 * @param event the event scanned for; a scanner bound to one event may leave it out
 */
record ScanRequest(
    @NotNull(message = "is required")
        @Size(min = 1, max = 2_000, message = "must be 1 to 2000 characters")
        String payload,
    @NotNull(message = "is required") @Identifier String gate,
    @Identifier String event) {}
