package io.guichet.query.domain;

import java.time.Instant;

/** A status a reservation went through, and when. */
public record ReservationStep(ReservationStatus status, Instant at) {}
