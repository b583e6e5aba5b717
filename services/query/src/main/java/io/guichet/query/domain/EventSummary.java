package io.guichet.query.domain;

import java.time.Instant;

/** Who organizes an event and when it ends: what access to its statistics depends on. */
public record EventSummary(String eventId, String organizerId, String title, Instant endsAt) {}
