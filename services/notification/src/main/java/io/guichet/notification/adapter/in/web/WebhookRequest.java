package io.guichet.notification.adapter.in.web;

import io.guichet.web.constraints.Text;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code POST /partners/webhooks}.
 *
 * @param url where deliveries are POSTed: https (http only where the operator allows it)
 * @param eventTypes the facts wanted, by type ({@code TicketIssued}...), at least one
 * @param description for the admins' eyes
 */
record WebhookRequest(
    @NotNull(message = "is required")
        @Size(min = 1, max = 2_000, message = "must be 1 to 2000 characters")
        String url,
    @NotNull(message = "is required: at least one event type")
        @Size(min = 1, max = 50, message = "must hold 1 to 50 event types")
        List<@NotNull(message = "is required") @Text(max = 64) String> eventTypes,
    @Text(max = 200) String description) {}
