package io.guichet.testsupport;

import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.catalog.EventKind;
import io.guichet.events.catalog.EventScheduled;
import io.guichet.events.catalog.OfferPublished;
import io.guichet.events.catalog.SalesOpened;
import io.guichet.events.catalog.SeatRow;
import io.guichet.events.catalog.SeatingAssigned;
import io.guichet.events.catalog.Venue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** The facts that put an event on sale, and a buyer's request: what allocation tests start from. */
public final class CatalogFixtures {

  private CatalogFixtures() {}

  /**
   * An event scheduled in 30 days by {@code organizer}, at the Olympia.
   *
   * @param staticCodes whether its organizer lets its tickets be shown as a static code
   */
  public static EventScheduled scheduled(String event, boolean staticCodes) {
    Instant starts = Instant.now().plus(Duration.ofDays(30));
    return EventScheduled.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEventId(event)
        .setOrganizerId("organizer")
        .setTitle("Launch night")
        .setKind(EventKind.CONCERT)
        .setVenue(new Venue("Olympia", "28 bd des Capucines", "Paris", "FR", 2_000))
        .setStartsAt(starts)
        .setEndsAt(starts.plusSeconds(10_800))
        .setTimeZone("Europe/Paris")
        .setStaticCodesAllowed(staticCodes)
        .build();
  }

  /**
   * EventScheduled, OfferPublished and SalesOpened for one offer of an event, to publish in this
   * order on {@code catalog.events} keyed by the event id.
   */
  public static List<SpecificRecord> onSale(
      String event,
      String offer,
      int seatsPerTicket,
      int seatsOnSale,
      int maxTicketsPerOrder,
      int maxTicketsPerCustomer) {
    Instant now = Instant.now();
    return List.of(
        scheduled(event, true),
        OfferPublished.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(now)
            .setEventId(event)
            .setOfferId(offer)
            .setName(offer)
            .setCategory("floor")
            .setPriceMinor(4_500)
            .setCurrency("EUR")
            .setSeatsPerTicket(seatsPerTicket)
            .setSeatsOnSale(seatsOnSale)
            .setMaxTicketsPerOrder(maxTicketsPerOrder)
            .setMaxTicketsPerCustomer(maxTicketsPerCustomer)
            .build(),
        SalesOpened.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setOccurredAt(now)
            .setEventId(event)
            .setClosesAt(null)
            .build());
  }

  /** A request for tickets, to publish on {@code booking.reservation-requests} keyed by event. */
  public static ReservationRequested request(
      String event, String reservation, String offer, String customer, int quantity) {
    return ReservationRequested.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId(reservation)
        .setEventId(event)
        .setOfferId(offer)
        .setCustomerId(customer)
        .setQuantity(quantity)
        .build();
  }

  /**
   * The event seated on a grid (issue 21): sections "S1".. of rows "R1".. of seats "1".., every
   * seat of category "std" sold by {@code offer}; a seat's distance is how far it is from the
   * middle of the section's first row (the stage), so the front rows' middle seats are the best.
   */
  public static SeatingAssigned seating(
      String event, String offer, int sections, int rows, int seatsPerRow) {
    List<SeatRow> seatRows = new ArrayList<>();
    for (int section = 1; section <= sections; section++) {
      for (int row = 1; row <= rows; row++) {
        List<String> labels = new ArrayList<>();
        List<Float> distances = new ArrayList<>();
        for (int seat = 1; seat <= seatsPerRow; seat++) {
          labels.add(Integer.toString(seat));
          distances.add((float) Math.hypot(row, seat - (seatsPerRow + 1) / 2.0));
        }
        seatRows.add(
            SeatRow.newBuilder()
                .setSection("S" + section)
                .setRow("R" + row)
                .setSeats(labels)
                .setCategories(List.of("std"))
                .setDistances(distances)
                .setAccessible(List.of())
                .setUnsold(List.of())
                .build());
      }
    }
    return SeatingAssigned.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEventId(event)
        .setLayoutId("grid-" + sections + "x" + rows + "x" + seatsPerRow)
        .setLayoutVersion(1)
        .setOffers(Map.of("std", offer))
        .setRows(seatRows)
        .build();
  }
}
