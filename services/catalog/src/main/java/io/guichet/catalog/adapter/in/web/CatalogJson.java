package io.guichet.catalog.adapter.in.web;

import io.guichet.catalog.domain.EventDetails;
import io.guichet.catalog.domain.EventKind;
import io.guichet.catalog.domain.OfferTerms;
import io.guichet.catalog.domain.Venue;
import io.guichet.web.JsonFields;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads the organizer's request bodies, field by field. */
final class CatalogJson {

  static final String[] DETAIL_FIELDS = {
    "title", "kind", "venue", "startsAt", "endsAt", "timeZone"
  };

  /** A new event: its description and its organizer. */
  static final String[] EVENT_FIELDS = {
    "organizer", "title", "kind", "venue", "startsAt", "endsAt", "timeZone"
  };

  private CatalogJson() {}

  /** An event's description; null if a field is bad (the errors are in {@code fields}). */
  static EventDetails details(JsonFields fields) {
    String title = fields.text("title", 200);
    EventKind kind = fields.oneOf("kind", EventKind.class);
    Venue venue = venue(fields.object("venue"));
    LocalDateTime startsAt = localTime(fields, "startsAt");
    LocalDateTime endsAt = localTime(fields, "endsAt");
    ZoneId zone = zone(fields, "timeZone");
    if (!fields.errors().isEmpty()) {
      return null;
    }
    return new EventDetails(title, kind, venue, startsAt, endsAt, zone);
  }

  static OfferTerms terms(JsonFields fields) {
    fields.only(
        "name",
        "category",
        "priceMinor",
        "currency",
        "seatsPerTicket",
        "seatsOnSale",
        "maxTicketsPerOrder",
        "maxTicketsPerCustomer");
    String name = fields.text("name", 100);
    String category = fields.has("category") ? fields.optionalText("category", 100) : "general";
    Long price = fields.longInteger("priceMinor", 0, 100_000_000);
    String currency = fields.text("currency", 3);
    Integer seatsPerTicket = fields.integer("seatsPerTicket", 1, 4);
    Integer seatsOnSale = fields.integer("seatsOnSale", 1, 1_000_000);
    Integer maxPerOrder = fields.integer("maxTicketsPerOrder", 1, 100);
    Integer maxPerCustomer = fields.integer("maxTicketsPerCustomer", 1, 1_000);
    if (!fields.errors().isEmpty()) {
      return null;
    }
    return new OfferTerms(
        name, category, price, currency, seatsPerTicket, seatsOnSale, maxPerOrder, maxPerCustomer);
  }

  private static Venue venue(JsonFields venue) {
    if (venue == null) {
      return null;
    }
    venue.only("name", "address", "city", "country", "capacity");
    String name = venue.text("name", 200);
    String address = venue.text("address", 300);
    String city = venue.text("city", 100);
    String country = venue.text("country", 2);
    Integer capacity = venue.integer("capacity", 1, 1_000_000);
    if (name == null || address == null || city == null || country == null || capacity == null) {
      return null;
    }
    return new Venue(name, address, city, country, capacity);
  }

  /** A wall-clock time such as {@code 2027-06-21T20:00}, in the event's time zone. */
  static LocalDateTime localTime(JsonFields fields, String field) {
    String text = fields.text(field, 40);
    if (text == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(text);
    } catch (DateTimeParseException e) {
      fields.reject(field, "must be a local date and time such as 2027-06-21T20:00");
      return null;
    }
  }

  private static ZoneId zone(JsonFields fields, String field) {
    String text = fields.text(field, 64);
    if (text == null) {
      return null;
    }
    try {
      ZoneId zone = ZoneId.of(text);
      if (zone instanceof ZoneOffset) {
        throw new DateTimeException("an offset, not a region");
      }
      return zone;
    } catch (DateTimeException e) {
      fields.reject(field, "must be an IANA time zone such as Europe/Paris");
      return null;
    }
  }
}
