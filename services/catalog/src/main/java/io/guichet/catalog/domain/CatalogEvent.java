package io.guichet.catalog.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An event with its offers and sales window: the one place its rules are decided. Immutable: each
 * command answers a {@link Decision} with the next state.
 *
 * @param salesCloseAt when open sales close by themselves, or null
 * @param seating the seat layout it is sold on, or null when every offer is general admission
 */
public record CatalogEvent(
    String id,
    String organizerId,
    EventDetails details,
    SalesStatus status,
    List<Offer> offers,
    Instant salesCloseAt,
    Seating seating) {

  /** The largest seating fact (SeatingAssigned): the broker takes records up to 1 MB. */
  static final long MAX_SEATING_BYTES = 900_000;

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Set<Currency> CURRENCIES = Currency.getAvailableCurrencies();

  public CatalogEvent {
    offers = List.copyOf(offers);
  }

  /** Schedules a new event. */
  public static Decision schedule(
      String id, String organizerId, EventDetails details, Instant now) {
    List<Violation> violations = checkDetails(details);
    if (!details.start().isAfter(now)) {
      violations.add(new Violation("startsAt", "must be in the future"));
    }
    if (!violations.isEmpty()) {
      return Decision.invalid(violations);
    }
    CatalogEvent event =
        new CatalogEvent(id, organizerId, details, SalesStatus.SCHEDULED, List.of(), null, null);
    return Decision.accepted(event, new CatalogFact.Scheduled(id, organizerId, details));
  }

  /** Changes the description; the venue must still hold the seats already offered. */
  public Decision changeDetails(EventDetails changed) {
    if (status == SalesStatus.CANCELLED) {
      return Decision.conflict("event " + id + " is cancelled");
    }
    List<Violation> violations = checkDetails(changed);
    if (changed.venue().capacity() < seatsOffered()) {
      violations.add(
          new Violation(
              "venue.capacity",
              "must be at least the " + seatsOffered() + " seats already offered"));
    }
    if (!violations.isEmpty()) {
      return Decision.invalid(violations);
    }
    CatalogEvent next =
        new CatalogEvent(id, organizerId, changed, status, offers, salesCloseAt, seating);
    return Decision.accepted(next, new CatalogFact.Scheduled(id, organizerId, changed));
  }

  /** Publishes an offer: while the event is scheduled or on sale, within the venue's capacity. */
  public Decision publishOffer(String offerId, OfferTerms terms) {
    if (status == SalesStatus.CANCELLED || status == SalesStatus.SALES_CLOSED) {
      return Decision.conflict("event " + id + " is " + status.name().toLowerCase(Locale.ROOT));
    }
    List<Violation> violations = checkTerms(terms);
    int left = details.venue().capacity() - seatsOffered();
    if (terms.seatsOnSale() > left) {
      violations.add(
          new Violation("seatsOnSale", "must be at most " + left + " (the venue's seats left)"));
    }
    if (!violations.isEmpty()) {
      return Decision.invalid(violations);
    }
    Offer offer = new Offer(offerId, terms);
    List<Offer> next = new ArrayList<>(offers);
    next.add(offer);
    return Decision.accepted(
        new CatalogEvent(id, organizerId, details, status, next, salesCloseAt, seating),
        new CatalogFact.OfferPublished(id, offer));
  }

  /** Opens (or reopens) sales, until {@code closesAt} if given. */
  public Decision openSales(Instant closesAt, Instant now) {
    if (status != SalesStatus.SCHEDULED && status != SalesStatus.SALES_CLOSED) {
      return Decision.conflict("sales of event " + id + " cannot open: it is " + describe(status));
    }
    if (offers.isEmpty()) {
      return Decision.conflict("event " + id + " has no offer to sell");
    }
    if (!details.end().isAfter(now)) {
      return Decision.conflict("event " + id + " is over");
    }
    if (closesAt != null && (!closesAt.isAfter(now) || closesAt.isAfter(details.end()))) {
      return Decision.invalid(
          List.of(new Violation("closesAt", "must be in the future and before the event ends")));
    }
    return Decision.accepted(
        new CatalogEvent(id, organizerId, details, SalesStatus.ON_SALE, offers, closesAt, seating),
        new CatalogFact.SalesOpened(id, closesAt));
  }

  public Decision closeSales() {
    if (status != SalesStatus.ON_SALE) {
      return Decision.conflict("sales of event " + id + " are not open: it is " + describe(status));
    }
    return Decision.accepted(withStatus(SalesStatus.SALES_CLOSED), new CatalogFact.SalesClosed(id));
  }

  /** Closes sales whose planned close has come; a no-op otherwise (empty). */
  public Optional<Decision> closeIfDue(Instant now) {
    if (status != SalesStatus.ON_SALE || salesCloseAt == null || now.isBefore(salesCloseAt)) {
      return Optional.empty();
    }
    return Optional.of(closeSales());
  }

  /** Cancels the event: its reservations are released and paid orders refunded downstream. */
  public Decision cancel(String reason) {
    if (status == SalesStatus.CANCELLED) {
      return Decision.conflict("event " + id + " is already cancelled");
    }
    return Decision.accepted(
        withStatus(SalesStatus.CANCELLED), new CatalogFact.Cancelled(id, reason));
  }

  /**
   * Accepts a new access code for this event: while it is not cancelled, for offers it has, with a
   * window that ends after it starts and in the future. The event itself does not change.
   */
  public Decision createAccessCode(String codeId, AccessCodeTerms terms, Instant now) {
    if (status == SalesStatus.CANCELLED) {
      return Decision.conflict("event " + id + " is cancelled");
    }
    AccessCode code =
        new AccessCode(
            codeId,
            id,
            terms.code(),
            terms.offerIds(),
            terms.uses(),
            terms.validFrom() == null
                ? null
                : terms.validFrom().atZone(details.timeZone()).toInstant(),
            terms.validUntil() == null
                ? null
                : terms.validUntil().atZone(details.timeZone()).toInstant(),
            terms.presale(),
            terms.discountBasisPoints(),
            now);
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < code.offerIds().size(); i++) {
      String offerId = code.offerIds().get(i);
      if (offers.stream().noneMatch(offer -> offer.id().equals(offerId))) {
        violations.add(new Violation("offers[" + i + "]", "is not an offer of event " + id));
      }
    }
    if (code.validFrom() != null
        && code.validUntil() != null
        && !code.validUntil().isAfter(code.validFrom())) {
      violations.add(new Violation("validUntil", "must be after validFrom"));
    } else if (code.validUntil() != null && !code.validUntil().isAfter(now)) {
      violations.add(new Violation("validUntil", "must be in the future"));
    }
    if (!violations.isEmpty()) {
      return Decision.invalid(violations);
    }
    return Decision.accepted(this, new CatalogFact.AccessCodeCreated(id, code));
  }

  /**
   * Seats the event on a version of a seat layout of its organizer, before its sales open: each
   * category of the layout's seats must be sold by exactly one offer of the event, of one seat per
   * ticket, and not hidden; each such offer's seats on sale become its category's seats (published
   * again). Offers of other categories stay general admission. A later assignment replaces it.
   */
  public Decision assignSeating(LayoutVersion layout) {
    if (status != SalesStatus.SCHEDULED) {
      return Decision.conflict(
          "event " + id + " is " + describe(status) + ": seats are assigned before sales open");
    }
    List<Violation> violations = new ArrayList<>();
    if (!layout.organizerId().equals(organizerId)) {
      violations.add(
          new Violation("layout", "is another organizer's layout: an event uses its own"));
      return Decision.invalid(violations);
    }
    if (layout.layout().factBytes() > MAX_SEATING_BYTES) {
      violations.add(
          new Violation(
              "layout",
              "has too many seats or labels too long to be sent to booking in one fact (about "
                  + layout.layout().factBytes()
                  + " bytes; at most "
                  + MAX_SEATING_BYTES
                  + "): shorten the labels or split the venue"));
      return Decision.invalid(violations);
    }
    java.util.Map<String, Integer> categories = layout.layout().summary().categories();
    java.util.Map<String, String> sellers = new java.util.TreeMap<>();
    List<Offer> next = new ArrayList<>(offers);
    List<CatalogFact> facts = new ArrayList<>();
    for (java.util.Map.Entry<String, Integer> category : categories.entrySet()) {
      List<Offer> selling =
          offers.stream().filter(o -> o.terms().category().equals(category.getKey())).toList();
      if (selling.size() != 1) {
        violations.add(
            new Violation(
                "layout",
                "seat category "
                    + category.getKey()
                    + (selling.isEmpty()
                        ? " has no offer in event " + id + ": publish one of that category"
                        : " has " + selling.size() + " offers in event " + id + ": one sells it")));
        continue;
      }
      Offer offer = selling.get(0);
      if (offer.terms().seatsPerTicket() != 1 || offer.terms().hidden()) {
        violations.add(
            new Violation(
                "layout",
                "offer "
                    + offer.terms().name()
                    + " sells seat category "
                    + category.getKey()
                    + ": a seated offer sells one seat per ticket and is not hidden"));
        continue;
      }
      sellers.put(category.getKey(), offer.id());
      OfferTerms terms = offer.terms();
      Offer seated =
          new Offer(
              offer.id(),
              new OfferTerms(
                  terms.name(),
                  terms.category(),
                  terms.priceMinor(),
                  terms.currency(),
                  terms.seatsPerTicket(),
                  category.getValue(),
                  terms.maxTicketsPerOrder(),
                  terms.maxTicketsPerCustomer(),
                  terms.vatRateBasisPoints(),
                  terms.hidden()));
      next.set(next.indexOf(offer), seated);
      if (seated.terms().seatsOnSale() != terms.seatsOnSale()) {
        facts.add(new CatalogFact.OfferPublished(id, seated));
      }
    }
    int seats = next.stream().mapToInt(offer -> offer.terms().seatsOnSale()).sum();
    if (violations.isEmpty() && seats > details.venue().capacity()) {
      violations.add(
          new Violation(
              "layout",
              "puts "
                  + seats
                  + " seats on sale with the event's other offers: more than the venue's capacity"
                  + " of "
                  + details.venue().capacity()));
    }
    if (!violations.isEmpty()) {
      return Decision.invalid(violations);
    }
    Seating assigned = new Seating(layout.layoutId(), layout.version(), sellers);
    facts.add(0, new CatalogFact.SeatingAssigned(id, assigned, layout.layout()));
    return new Decision(
        new CatalogEvent(id, organizerId, details, status, next, salesCloseAt, assigned),
        facts,
        null,
        List.of());
  }

  /** The offers a buyer sees: the public ones, and the hidden ones the code unlocks. */
  public List<Offer> offersFor(AccessCode code) {
    return offers.stream()
        .filter(offer -> !offer.terms().hidden() || (code != null && code.appliesTo(offer.id())))
        .toList();
  }

  /** Seats put on sale across the event's offers. */
  public int seatsOffered() {
    return offers.stream().mapToInt(offer -> offer.terms().seatsOnSale()).sum();
  }

  private CatalogEvent withStatus(SalesStatus next) {
    return new CatalogEvent(id, organizerId, details, next, offers, null, seating);
  }

  private static String describe(SalesStatus status) {
    return status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static List<Violation> checkDetails(EventDetails details) {
    List<Violation> violations = new ArrayList<>();
    if (!details.endsAt().isAfter(details.startsAt())) {
      violations.add(new Violation("endsAt", "must be after startsAt"));
    }
    if (!COUNTRIES.contains(details.venue().country())) {
      violations.add(new Violation("venue.country", "must be an ISO 3166-1 alpha-2 code"));
    }
    return violations;
  }

  private static List<Violation> checkTerms(OfferTerms terms) {
    List<Violation> violations = new ArrayList<>();
    if (!OfferTerms.SEATS_PER_TICKET.contains(terms.seatsPerTicket())) {
      violations.add(new Violation("seatsPerTicket", "must be 1 (solo), 2 (duo) or 4 (family)"));
    } else if (terms.seatsOnSale() % terms.seatsPerTicket() != 0) {
      violations.add(
          new Violation(
              "seatsOnSale", "must be a whole number of tickets of " + terms.seatsPerTicket()));
    }
    if (CURRENCIES.stream()
        .noneMatch(currency -> currency.getCurrencyCode().equals(terms.currency()))) {
      violations.add(new Violation("currency", "must be an ISO 4217 code, e.g. EUR"));
    }
    if (terms.maxTicketsPerCustomer() < terms.maxTicketsPerOrder()) {
      violations.add(new Violation("maxTicketsPerCustomer", "must be at least maxTicketsPerOrder"));
    }
    return violations;
  }
}
