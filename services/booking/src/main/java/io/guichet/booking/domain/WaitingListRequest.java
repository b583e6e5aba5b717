package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;

/** A buyer's request to join an offer's waiting list, as it reached the allocator. */
public record WaitingListRequest(
    String entryId, EventId event, OfferId offer, CustomerId customer, int quantity) {}
