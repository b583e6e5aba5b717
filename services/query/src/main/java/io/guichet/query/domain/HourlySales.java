package io.guichet.query.domain;

import java.time.Instant;

/** Tickets sold and revenue of one offer in one hour (UTC) of confirmations. */
public record HourlySales(Instant hour, String offerId, int tickets, long revenueMinor) {}
