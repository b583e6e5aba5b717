package io.guichet.booking.adapter.out.kafka;

import io.guichet.booking.domain.AccessCode;
import io.guichet.booking.domain.EventStock;
import io.guichet.booking.domain.EventStock.OfferStock;
import io.guichet.booking.domain.EventStock.SalesWindow;
import io.guichet.booking.domain.Ids.CustomerId;
import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import io.guichet.booking.domain.Ids.ReservationId;
import io.guichet.booking.domain.Money;
import io.guichet.booking.domain.Offer;
import io.guichet.booking.domain.Reservation;
import io.guichet.booking.domain.SeatMap;
import io.guichet.booking.domain.SeatMap.SeatRef;
import io.guichet.booking.domain.Seating;
import io.guichet.booking.domain.WaitingEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON for the allocator's state store values: small, readable with any store browser. */
public final class StateCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StateCodec() {}

  static String write(EventStock stock) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", stock.id().value())
        .put("sales", stock.sales().name())
        .put("cancelled", stock.cancelled())
        .put("listJoins", stock.listJoins());
    if (stock.listHold() != null) {
      node.put("listHoldSeconds", stock.listHold().toSeconds());
    }
    ArrayNode offers = node.putArray("offers");
    for (OfferStock offerStock : stock.offers().values()) {
      Offer offer = offerStock.offer();
      offers
          .addObject()
          .put("id", offer.id().value())
          .put("priceMinor", offer.price().minor())
          .put("currency", offer.price().currency())
          .put("seatsPerTicket", offer.seatsPerTicket())
          .put("seatsOnSale", offer.seatsOnSale())
          .put("maxTicketsPerOrder", offer.maxTicketsPerOrder())
          .put("maxTicketsPerCustomer", offer.maxTicketsPerCustomer())
          .put("hidden", offer.hidden())
          .put("seatsTaken", offerStock.seatsTaken());
    }
    return node.toString();
  }

  public static EventStock readStock(String json) {
    JsonNode node = parse(json);
    Map<OfferId, OfferStock> offers = new HashMap<>();
    for (JsonNode o : node.path("offers")) {
      Offer offer =
          new Offer(
              new OfferId(o.path("id").asString()),
              new Money(o.path("priceMinor").asLong(), o.path("currency").asString()),
              o.path("seatsPerTicket").asInt(),
              o.path("seatsOnSale").asInt(),
              o.path("maxTicketsPerOrder").asInt(),
              o.path("maxTicketsPerCustomer").asInt(),
              o.path("hidden").asBoolean());
      offers.put(offer.id(), new OfferStock(offer, o.path("seatsTaken").asInt()));
    }
    return new EventStock(
        new EventId(node.path("id").asString()),
        SalesWindow.valueOf(node.path("sales").asString()),
        node.path("cancelled").asBoolean(),
        offers,
        node.has("listHoldSeconds")
            ? Duration.ofSeconds(node.path("listHoldSeconds").asLong())
            : null,
        node.path("listJoins").asLong());
  }

  /**
   * Written with the streaming generator, not a tree: the allocator writes one of these per hold (a
   * tree and its serialization were 14% of its thread when every request was held).
   */
  static String write(Reservation reservation) {
    StringWriter out = new StringWriter(192);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject()
          .writeStringProperty("id", reservation.id().value())
          .writeStringProperty("event", reservation.event().value())
          .writeStringProperty("offer", reservation.offer().value())
          .writeStringProperty("customer", reservation.customer().value())
          .writeNumberProperty("quantity", reservation.quantity())
          .writeNumberProperty("seats", reservation.seats())
          .writeStringProperty("status", reservation.status().name());
      if (reservation.amount() != null) {
        json.writeNumberProperty("amountMinor", reservation.amount().minor())
            .writeStringProperty("currency", reservation.amount().currency());
      }
      if (reservation.expiresAt() != null) {
        json.writeNumberProperty("expiresAt", reservation.expiresAt().toEpochMilli());
      }
      if (reservation.accessCode() != null) {
        json.writeStringProperty("accessCode", reservation.accessCode());
      }
      if (reservation.waitingListEntry() != null) {
        json.writeStringProperty("waitingListEntry", reservation.waitingListEntry());
      }
      if (!reservation.assignedSeats().isEmpty()) {
        json.writeName("assignedSeats").writeStartArray();
        for (SeatRef seat : reservation.assignedSeats()) {
          json.writeStartArray()
              .writeString(seat.section())
              .writeString(seat.row())
              .writeString(seat.seat())
              .writeEndArray();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    return out.toString();
  }

  static Reservation readReservation(String json) {
    JsonNode node = parse(json);
    Money amount =
        node.has("amountMinor")
            ? new Money(node.path("amountMinor").asLong(), node.path("currency").asString())
            : null;
    Instant expiresAt =
        node.has("expiresAt") ? Instant.ofEpochMilli(node.path("expiresAt").asLong()) : null;
    return new Reservation(
        new ReservationId(node.path("id").asString()),
        new EventId(node.path("event").asString()),
        new OfferId(node.path("offer").asString()),
        new CustomerId(node.path("customer").asString()),
        node.path("quantity").asInt(),
        node.path("seats").asInt(),
        amount,
        expiresAt,
        Reservation.Status.valueOf(node.path("status").asString()),
        node.has("accessCode") ? node.path("accessCode").asString() : null,
        node.has("waitingListEntry") ? node.path("waitingListEntry").asString() : null,
        seats(node.path("assignedSeats")));
  }

  private static List<SeatRef> seats(JsonNode array) {
    List<SeatRef> seats = new ArrayList<>(array.size());
    for (JsonNode seat : array) {
      seats.add(
          new SeatRef(seat.get(0).asString(), seat.get(1).asString(), seat.get(2).asString()));
    }
    return seats;
  }

  /**
   * An event's seating: its layout, the offers' categories and every seat (label, category,
   * distance, whether it is sold), row after row, gzipped: the stadium of the benchmark (60,000
   * seats) is about 2 MB of JSON, more than a Kafka record may hold, and a few hundred kilobytes
   * gzipped. Distances are written as the floats they are on the wire ({@code SeatingAssigned}), so
   * that a rebuilt map ranks seats exactly as the one it replaces.
   */
  static String write(Seating seating) {
    ObjectNode node = JSON.createObjectNode();
    node.put("event", seating.event().value())
        .put("layoutId", seating.layoutId())
        .put("layoutVersion", seating.layoutVersion());
    ObjectNode categories = node.putObject("categories");
    seating.categories().forEach((offer, category) -> categories.put(offer.value(), category));
    ArrayNode rows = node.putArray("rows");
    SeatMap map = seating.map();
    for (SeatMap.Row row : map.rows()) {
      ObjectNode written = rows.addObject().put("section", row.section()).put("row", row.label());
      ArrayNode labels = written.putArray("seats");
      ArrayNode rowCategories = written.putArray("categories");
      ArrayNode unsold = written.putArray("unsold");
      StringBuilder distances = new StringBuilder();
      for (int i = 0; i < row.count(); i++) {
        int seat = row.first() + i;
        labels.add(map.ref(seat).seat());
        rowCategories.add(map.category(seat));
        if (map.status(seat) == SeatMap.Status.UNSOLD) {
          unsold.add(i);
        }
        distances.append(i == 0 ? "" : " ").append(Float.toString((float) map.distance(seat)));
      }
      written.put("distances", distances.toString());
    }
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
      out.write(node.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(zipped.toByteArray());
  }

  static Seating readSeating(String value) {
    JsonNode node;
    try (GZIPInputStream in =
        new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(value)))) {
      node = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("unreadable allocator seating", e);
    }
    Map<OfferId, String> categories = new HashMap<>();
    node.path("categories")
        .properties()
        .forEach(entry -> categories.put(new OfferId(entry.getKey()), entry.getValue().asString()));
    SeatMap.Builder map = SeatMap.builder();
    for (JsonNode row : node.path("rows")) {
      map.row(row.path("section").asString(), row.path("row").asString());
      Set<Integer> unsold = new HashSet<>();
      row.path("unsold").forEach(i -> unsold.add(i.asInt()));
      String[] distances = row.path("distances").asString().split(" ");
      JsonNode rowCategories = row.path("categories");
      int i = 0;
      for (JsonNode seat : row.path("seats")) {
        map.seat(
            seat.asString(),
            rowCategories.get(i).asString(),
            Float.parseFloat(distances[i]),
            !unsold.contains(i));
        i++;
      }
    }
    return new Seating(
        new EventId(node.path("event").asString()),
        node.path("layoutId").asString(),
        node.path("layoutVersion").asInt(),
        categories,
        map.build());
  }

  static String write(WaitingEntry entry) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", entry.id())
        .put("event", entry.event().value())
        .put("offer", entry.offer().value())
        .put("customer", entry.customer().value())
        .put("quantity", entry.quantity())
        .put("sequence", entry.sequence())
        .put("status", entry.status().name());
    if (entry.reservation() != null) {
      node.put("reservation", entry.reservation());
    }
    return node.toString();
  }

  static WaitingEntry readEntry(String json) {
    JsonNode node = parse(json);
    return new WaitingEntry(
        node.path("id").asString(),
        new EventId(node.path("event").asString()),
        new OfferId(node.path("offer").asString()),
        new CustomerId(node.path("customer").asString()),
        node.path("quantity").asInt(),
        node.path("sequence").asLong(),
        WaitingEntry.Status.valueOf(node.path("status").asString()),
        node.has("reservation") ? node.path("reservation").asString() : null);
  }

  static String write(AccessCode code) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", code.id())
        .put("event", code.event().value())
        .put("digest", code.digest())
        .put("uses", code.uses())
        .put("used", code.used())
        .put("presale", code.presale())
        .put("discountBasisPoints", code.discountBasisPoints());
    ArrayNode offers = node.putArray("offers");
    code.offers().forEach(offer -> offers.add(offer.value()));
    if (code.validFrom() != null) {
      node.put("validFrom", code.validFrom().toEpochMilli());
    }
    if (code.validUntil() != null) {
      node.put("validUntil", code.validUntil().toEpochMilli());
    }
    return node.toString();
  }

  static AccessCode readCode(String json) {
    JsonNode node = parse(json);
    Set<OfferId> offers = new HashSet<>();
    node.path("offers").forEach(offer -> offers.add(new OfferId(offer.asString())));
    return new AccessCode(
        node.path("id").asString(),
        new EventId(node.path("event").asString()),
        node.path("digest").asString(),
        offers,
        node.path("uses").asInt(),
        node.path("used").asInt(),
        node.has("validFrom") ? Instant.ofEpochMilli(node.path("validFrom").asLong()) : null,
        node.has("validUntil") ? Instant.ofEpochMilli(node.path("validUntil").asLong()) : null,
        node.path("presale").asBoolean(),
        node.path("discountBasisPoints").asInt());
  }

  static String writeIds(List<String> ids) {
    return JSON.writeValueAsString(ids);
  }

  static List<String> readIds(String json) {
    List<String> ids = new ArrayList<>();
    for (JsonNode id : parse(json)) {
      ids.add(id.asString());
    }
    return ids;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalStateException("unreadable allocator state: " + json, e);
    }
  }
}
