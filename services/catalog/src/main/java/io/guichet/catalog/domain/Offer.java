package io.guichet.catalog.domain;

/** An offer of an event. */
public record Offer(String id, OfferTerms terms) {}
