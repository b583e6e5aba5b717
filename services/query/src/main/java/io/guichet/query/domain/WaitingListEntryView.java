package io.guichet.query.domain;

import java.time.Instant;

/**
 * A buyer's waiting-list entry: on the list (WAITING, with its place), seats held for them
 * (OFFERED: pay the reservation before {@code offerExpiresAt}), paid (CLAIMED), the offer ended
 * unpaid (LAPSED) or not taken on the list (REFUSED, with why).
 *
 * @param place the entry's place on the offer's list while WAITING, else null
 * @param reservationId the reservation holding the seats offered, once offered
 */
public record WaitingListEntryView(
    String entryId,
    String customerId,
    String eventId,
    String offerId,
    int quantity,
    String status,
    Long place,
    String reservationId,
    Instant offerExpiresAt,
    String detail,
    Instant createdAt,
    Instant updatedAt) {}
