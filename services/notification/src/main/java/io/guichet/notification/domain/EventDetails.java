package io.guichet.notification.domain;

import java.time.Instant;

/** What the emails say of an event. */
public record EventDetails(String title, Instant startsAt, String timeZone, String venue) {}
