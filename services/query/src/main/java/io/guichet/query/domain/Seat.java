package io.guichet.query.domain;

/** A seat of an event sold by seat (issue 21), as its seat map names it. */
public record Seat(String section, String row, String seat) {}
