package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.SeatMap.SeatRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An event sold by seat (issue 21): the layout version the catalog seated it on, the offer that
 * sells each seat category, and the seat map the allocator decides on. The map's statuses are not
 * part of what defines a seating: they follow from the reservations that hold or bought seats
 * ({@link #mark}), so the allocator's changelog keeps the layout once and each reservation's seats
 * with the reservation.
 *
 * @param categories the seat category each seated offer sells
 */
public record Seating(
    EventId event,
    String layoutId,
    int layoutVersion,
    Map<OfferId, String> categories,
    SeatMap map) {

  public Seating {
    categories = Map.copyOf(categories);
  }

  /** The seat category the offer sells, if it is sold by seat. */
  public Optional<String> category(OfferId offer) {
    return Optional.ofNullable(categories.get(offer));
  }

  /** The map's numbers of seats the map has (a reservation's, which the allocator chose). */
  public int[] numbers(List<SeatRef> seats) {
    int[] numbers = new int[seats.size()];
    for (int i = 0; i < numbers.length; i++) {
      SeatRef seat = seats.get(i);
      numbers[i] =
          map.seat(seat)
              .orElseThrow(() -> new IllegalStateException("no seat " + seat + " in the map"));
    }
    return numbers;
  }

  /** The seats as buyers name them. */
  public List<SeatRef> refs(int[] seats) {
    return java.util.Arrays.stream(seats).mapToObj(map::ref).toList();
  }

  /**
   * Marks a reservation's seats held or sold in a map being rebuilt (after a crash, or when the
   * event was seated again): a seat the map does not have, or that is no longer free, is left as it
   * is.
   */
  public void mark(Reservation reservation) {
    if (!reservation.status().takesSeats()) {
      return;
    }
    for (SeatRef ref : reservation.assignedSeats()) {
      map.seat(ref)
          .filter(seat -> map.status(seat) == SeatMap.Status.FREE)
          .ifPresent(
              seat -> {
                int[] one = {seat};
                map.hold(one);
                if (reservation.status() == Reservation.Status.CONFIRMED) {
                  map.sell(one);
                }
              });
    }
  }
}
