package io.guichet.query.domain;

import java.util.List;

/**
 * An event's seats that are not free (issue 21), or those that changed since a cursor: what a seat
 * map draws over its layout (every seat of which is free unless listed here).
 *
 * @param cursor where the list stands in the event's changes: the next changes follow it
 * @param seats the seats, each with its status
 */
public record SeatStatuses(String eventId, long cursor, List<SeatState> seats) {

  public SeatStatuses {
    seats = List.copyOf(seats);
  }

  /**
   * @param status FREE, HELD or SOLD
   */
  public record SeatState(String section, String row, String seat, String status) {}
}
