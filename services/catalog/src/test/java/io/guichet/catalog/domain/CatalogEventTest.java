package io.guichet.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogEventTest {

  private static final Instant NOW = Instant.parse("2027-01-10T10:00:00Z");
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @Test
  void schedules_an_event_with_its_times_in_the_venues_zone() {
    Decision decision = CatalogEvent.schedule("e-1", "org-1", details(2_000), NOW);

    assertThat(decision.isAccepted()).isTrue();
    assertThat(decision.event().status()).isEqualTo(SalesStatus.SCHEDULED);
    assertThat(decision.event().details().start()).isEqualTo(Instant.parse("2027-06-21T18:00:00Z"));
    assertThat(decision.facts()).singleElement().isInstanceOf(CatalogFact.Scheduled.class);
  }

  @Test
  void refuses_an_event_that_ends_before_it_starts_or_has_started() {
    EventDetails backwards =
        new EventDetails(
            "Launch night",
            EventKind.CONCERT,
            venue(2_000),
            LocalDateTime.parse("2027-06-21T20:00"),
            LocalDateTime.parse("2027-06-21T19:00"),
            PARIS,
            false,
            true,
            true,
            EventDetails.DEFAULT_WAITING_LIST_OFFER_MINUTES);
    Decision decision = CatalogEvent.schedule("e-1", "org-1", backwards, NOW);
    assertThat(decision.violations()).extracting(Violation::field).containsExactly("endsAt");

    Decision past =
        CatalogEvent.schedule(
            "e-1", "org-1", details(2_000), Instant.parse("2028-01-01T00:00:00Z"));
    assertThat(past.violations()).extracting(Violation::field).contains("startsAt");
  }

  @Test
  void offers_never_put_more_seats_on_sale_than_the_venue_has() {
    CatalogEvent event = scheduled(1_000);
    CatalogEvent withOffer = event.publishOffer("o-1", terms(1, 800)).event();

    Decision tooMany = withOffer.publishOffer("o-2", terms(2, 202));

    assertThat(tooMany.refusal()).isEqualTo(Decision.Refusal.INVALID);
    assertThat(tooMany.violations()).extracting(Violation::field).containsExactly("seatsOnSale");
    assertThat(withOffer.publishOffer("o-2", terms(2, 200)).isAccepted()).isTrue();
  }

  @Test
  void a_duo_or_family_offer_sells_whole_tickets_and_other_sizes_are_refused() {
    CatalogEvent event = scheduled(1_000);

    assertThat(event.publishOffer("o-1", terms(4, 10)).violations())
        .extracting(Violation::message)
        .containsExactly("must be a whole number of tickets of 4");
    assertThat(event.publishOffer("o-1", terms(3, 9)).violations())
        .extracting(Violation::field)
        .containsExactly("seatsPerTicket");
  }

  @Test
  void sales_open_only_with_an_offer_close_only_when_open_and_cancel_once() {
    CatalogEvent event = scheduled(1_000);
    assertThat(event.openSales(null, NOW).refusal()).isEqualTo(Decision.Refusal.CONFLICT);

    CatalogEvent onSale =
        event.publishOffer("o-1", terms(1, 100)).event().openSales(null, NOW).event();
    assertThat(onSale.status()).isEqualTo(SalesStatus.ON_SALE);
    assertThat(onSale.openSales(null, NOW).refusal()).isEqualTo(Decision.Refusal.CONFLICT);

    CatalogEvent closed = onSale.closeSales().event();
    assertThat(closed.closeSales().refusal()).isEqualTo(Decision.Refusal.CONFLICT);
    assertThat(closed.openSales(null, NOW).isAccepted()).isTrue();

    CatalogEvent cancelled = closed.cancel("storm").event();
    assertThat(cancelled.cancel("again").refusal()).isEqualTo(Decision.Refusal.CONFLICT);
    assertThat(cancelled.publishOffer("o-2", terms(1, 10)).refusal())
        .isEqualTo(Decision.Refusal.CONFLICT);
  }

  @Test
  void sales_close_by_themselves_at_the_planned_time_and_only_once() {
    CatalogEvent onSale =
        scheduled(1_000)
            .publishOffer("o-1", terms(1, 100))
            .event()
            .openSales(NOW.plusSeconds(60), NOW)
            .event();

    assertThat(onSale.closeIfDue(NOW.plusSeconds(59))).isEmpty();
    Decision closed = onSale.closeIfDue(NOW.plusSeconds(60)).orElseThrow();
    assertThat(closed.event().status()).isEqualTo(SalesStatus.SALES_CLOSED);
    assertThat(closed.facts()).singleElement().isInstanceOf(CatalogFact.SalesClosed.class);
    assertThat(closed.event().closeIfDue(NOW.plusSeconds(120))).isEmpty();
  }

  @Test
  void a_change_may_not_shrink_the_venue_below_the_seats_offered() {
    CatalogEvent event = scheduled(1_000).publishOffer("o-1", terms(1, 900)).event();

    assertThat(event.changeDetails(details(800)).violations())
        .extracting(Violation::field)
        .containsExactly("venue.capacity");
    assertThat(event.changeDetails(details(900)).facts())
        .singleElement()
        .isInstanceOf(CatalogFact.Scheduled.class);
  }

  @Test
  void refuses_an_unknown_currency_and_a_customer_limit_below_the_order_limit() {
    OfferTerms terms = new OfferTerms("Pit", "floor", 4_500, "EUX", 1, 10, 4, 2, 0, false);

    assertThat(scheduled(100).publishOffer("o-1", terms).violations())
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("currency", "maxTicketsPerCustomer");
  }

  /** A layout of one section: rows of seats of the "floor" category, labels this long. */
  static SeatLayout layout(int rows, int seats, int labelLength) {
    java.util.List<SeatLayout.Row> built = new java.util.ArrayList<>();
    for (int r = 0; r < rows; r++) {
      java.util.List<SeatLayout.Seat> row = new java.util.ArrayList<>();
      for (int i = 0; i < seats; i++) {
        String label = "x".repeat(Math.max(0, labelLength - 5)) + String.format("%05d", i);
        row.add(
            new SeatLayout.Seat(
                label.substring(label.length() - labelLength),
                new SeatLayout.Point(i, r),
                "floor",
                false,
                true));
      }
      built.add(new SeatLayout.Row(Integer.toString(r), row));
    }
    return new SeatLayout(
        "Hall", java.util.List.of(new SeatLayout.Section("A", new SeatLayout.Point(0, 0), built)));
  }

  @Test
  void an_event_is_seated_when_each_category_has_one_offer_and_the_fact_fits_the_broker() {
    CatalogEvent event = scheduled(200_000).publishOffer("o-1", terms(1, 10)).event();
    LayoutVersion small = new LayoutVersion("l-1", "org-1", 3, layout(2, 30, 2), "{}", NOW);

    Decision seated = event.assignSeating(small);
    assertThat(seated.isAccepted()).isTrue();
    assertThat(seated.event().seating()).isEqualTo(new Seating("l-1", 3, Map.of("floor", "o-1")));
    assertThat(seated.event().offers().get(0).terms().seatsOnSale()).isEqualTo(60);
    assertThat(seated.facts())
        .extracting(fact -> fact.getClass().getSimpleName())
        .containsExactly("SeatingAssigned", "OfferPublished");

    // 100,000 seats with labels of 20 characters would be a record of over 2 MB.
    LayoutVersion long_ = new LayoutVersion("l-2", "org-1", 1, layout(1_000, 100, 20), "{}", NOW);
    Decision refused = event.assignSeating(long_);
    assertThat(refused.refusal()).isEqualTo(Decision.Refusal.INVALID);
    assertThat(refused.violations().get(0).message()).contains("too many seats or labels too long");

    // Two offers of the category, or a duo offer: which one sells it is not clear, or not a seat.
    Decision two = event.publishOffer("o-2", terms(1, 10)).event().assignSeating(small);
    assertThat(two.violations().get(0).message()).contains("has 2 offers");
    Decision duo = scheduled(1_000).publishOffer("o-3", terms(2, 10)).event().assignSeating(small);
    assertThat(duo.violations().get(0).message()).contains("one seat per ticket");
    assertThat(
            event
                .assignSeating(new LayoutVersion("l-1", "org-2", 1, small.layout(), "{}", NOW))
                .violations())
        .extracting(Violation::message)
        .containsExactly("is another organizer's layout: an event uses its own");
  }

  private static CatalogEvent scheduled(int capacity) {
    return CatalogEvent.schedule("e-1", "org-1", details(capacity), NOW).event();
  }

  private static EventDetails details(int capacity) {
    return new EventDetails(
        "Launch night",
        EventKind.CONCERT,
        venue(capacity),
        LocalDateTime.parse("2027-06-21T20:00"),
        LocalDateTime.parse("2027-06-21T23:00"),
        PARIS,
        false,
        true,
        true,
        EventDetails.DEFAULT_WAITING_LIST_OFFER_MINUTES);
  }

  private static Venue venue(int capacity) {
    return new Venue("Olympia", "28 bd des Capucines", "Paris", "FR", capacity);
  }

  private static OfferTerms terms(int seatsPerTicket, int seatsOnSale) {
    return new OfferTerms(
        "Pit", "floor", 4_500, "EUR", seatsPerTicket, seatsOnSale, 4, 6, 2_000, false);
  }
}
