package io.guichet.catalog.domain;

/**
 * A rule a command breaks.
 *
 * @param field the request field it concerns, or null for the event as a whole
 * @param message for a person
 */
public record Violation(String field, String message) {}
