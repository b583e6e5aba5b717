package io.guichet.catalog.domain;

import java.time.Instant;

/**
 * One version of an organizer's seat layout. A layout is revised by storing a new version; the
 * versions before it stay as they were, so that what an event was sold on can always be read back.
 *
 * @param document the JSON document it was imported from, as stored
 */
public record LayoutVersion(
    String layoutId,
    String organizerId,
    int version,
    SeatLayout layout,
    String document,
    Instant createdAt) {}
