package io.guichet.catalog.domain;

/**
 * Where an event takes place.
 *
 * @param country ISO 3166-1 alpha-2 code
 * @param capacity seats in the venue: the offers of an event never put more on sale
 */
public record Venue(String name, String address, String city, String country, int capacity) {}
