package io.guichet.catalog.domain;

import java.util.Map;

/**
 * The seat layout version an event is sold on, and the offer that sells each of its seat categories
 * (an offer of another category stays general admission).
 *
 * @param offers category to offer id
 */
public record Seating(String layoutId, int layoutVersion, Map<String, String> offers) {

  public Seating {
    offers = Map.copyOf(offers);
  }
}
