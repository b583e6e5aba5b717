package io.guichet.catalog.adapter.in.web;

import io.guichet.catalog.domain.AccessCodeTerms;
import io.guichet.catalog.domain.EventDetails;
import io.guichet.catalog.domain.EventKind;
import io.guichet.catalog.domain.OfferTerms;
import io.guichet.catalog.domain.Venue;
import io.guichet.platform.ids.AccessCodes;
import io.guichet.platform.money.Vat;
import io.guichet.web.constraints.Identifier;
import io.guichet.web.constraints.Moment;
import io.guichet.web.constraints.Text;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/** The organizer's request bodies: records the framework binds and Bean Validation checks. */
final class CatalogRequests {

  private CatalogRequests() {}

  private static final String REQUIRED = "is required";

  /**
   * {@code POST /events}: a new event.
   *
   * @param organizer whose event it is: the caller (who may omit it), or anyone for an admin
   * @param staticCodes whether tickets may also be shown as a static code (printed tickets); by
   *     default not: only the rotating code
   * @param transfers whether a holder may transfer a ticket to another account; by default yes
   * @param pricesIncludeTax whether prices are shown with tax (by default) or without (for
   *     businesses)
   * @param waitingListOfferMinutes how long seats that come back are held for the next buyer on a
   *     waiting list (1 minute to 7 days; 12 hours by default)
   */
  record NewEvent(
      @Identifier String organizer,
      @NotNull(message = REQUIRED) @Text(max = 200) String title,
      @NotNull(message = REQUIRED) EventKind kind,
      @NotNull(message = REQUIRED) @Valid VenueRequest venue,
      @NotNull(message = REQUIRED) @Moment LocalDateTime startsAt,
      @NotNull(message = REQUIRED) @Moment LocalDateTime endsAt,
      @NotNull(message = REQUIRED) @Region ZoneId timeZone,
      Boolean staticCodes,
      Boolean transfers,
      Boolean pricesIncludeTax,
      @Min(value = 1, message = "must be at least 1")
          @Max(value = 10_080, message = "must be at most 10080 (7 days)")
          Integer waitingListOfferMinutes) {

    EventDetails details() {
      return new Details(
              title,
              kind,
              venue,
              startsAt,
              endsAt,
              timeZone,
              staticCodes,
              transfers,
              pricesIncludeTax,
              waitingListOfferMinutes)
          .details();
    }
  }

  /**
   * {@code PUT /events/{id}}: an event's description, all of it.
   *
   * @param startsAt the venue's wall-clock time, such as {@code 2027-06-21T20:00}
   * @param timeZone the venue's IANA time zone, such as {@code Europe/Paris}
   * @param staticCodes whether tickets may also be shown as a static code; by default not
   * @param transfers whether a holder may transfer a ticket to another account; by default yes
   * @param pricesIncludeTax whether prices are shown with tax (by default) or without (for
   *     businesses)
   * @param waitingListOfferMinutes how long seats that come back are held for the next buyer on a
   *     waiting list (1 minute to 7 days; 12 hours by default)
   */
  record Details(
      @NotNull(message = REQUIRED) @Text(max = 200) String title,
      @NotNull(message = REQUIRED) EventKind kind,
      @NotNull(message = REQUIRED) @Valid VenueRequest venue,
      @NotNull(message = REQUIRED) @Moment LocalDateTime startsAt,
      @NotNull(message = REQUIRED) @Moment LocalDateTime endsAt,
      @NotNull(message = REQUIRED) @Region ZoneId timeZone,
      Boolean staticCodes,
      Boolean transfers,
      Boolean pricesIncludeTax,
      @Min(value = 1, message = "must be at least 1")
          @Max(value = 10_080, message = "must be at most 10080 (7 days)")
          Integer waitingListOfferMinutes) {

    EventDetails details() {
      return new EventDetails(
          title.strip(),
          kind,
          venue.venue(),
          startsAt,
          endsAt,
          timeZone,
          Boolean.TRUE.equals(staticCodes),
          !Boolean.FALSE.equals(transfers),
          !Boolean.FALSE.equals(pricesIncludeTax),
          waitingListOfferMinutes == null
              ? EventDetails.DEFAULT_WAITING_LIST_OFFER_MINUTES
              : waitingListOfferMinutes);
    }
  }

  /** Where the event takes place. */
  record VenueRequest(
      @NotNull(message = REQUIRED) @Text(max = 200) String name,
      @NotNull(message = REQUIRED) @Text(max = 300) String address,
      @NotNull(message = REQUIRED) @Text(max = 100) String city,
      @NotNull(message = REQUIRED)
          @Pattern(regexp = "[A-Za-z]{2}", message = "must be a two-letter country code")
          String country,
      @NotNull(message = REQUIRED)
          @Min(value = 1, message = "must be at least 1")
          @Max(value = 1_000_000, message = "must be at most 1000000")
          Integer capacity) {

    Venue venue() {
      return new Venue(name.strip(), address.strip(), city.strip(), country, capacity);
    }
  }

  /**
   * {@code POST /events/{id}/offers}: what is sold, at what price, in what quantity.
   *
   * @param category defaults to {@code general}
   * @param priceMinor the price in the currency's minor unit (cents)
   * @param seatsPerTicket 1 (solo), 2 (duo) or 4 (family)
   * @param vatRate the VAT rate included in the price, in percent (20, 5.5); none if absent
   * @param hidden whether only buyers with an access code for it see and reserve it; not by default
   */
  record Offer(
      @NotNull(message = REQUIRED) @Text(max = 100) String name,
      @Text(max = 100) String category,
      @NotNull(message = REQUIRED)
          @Min(value = 0, message = "must be at least 0")
          @Max(value = 100_000_000, message = "must be at most 100000000")
          Long priceMinor,
      @NotNull(message = REQUIRED)
          @Pattern(regexp = "[A-Za-z]{3}", message = "must be a three-letter currency code")
          String currency,
      @NotNull(message = REQUIRED)
          @Min(value = 1, message = "must be at least 1")
          @Max(value = 4, message = "must be at most 4")
          Integer seatsPerTicket,
      @NotNull(message = REQUIRED)
          @Min(value = 1, message = "must be at least 1")
          @Max(value = 1_000_000, message = "must be at most 1000000")
          Integer seatsOnSale,
      @NotNull(message = REQUIRED)
          @Min(value = 1, message = "must be at least 1")
          @Max(value = 100, message = "must be at most 100")
          Integer maxTicketsPerOrder,
      @NotNull(message = REQUIRED)
          @Min(value = 1, message = "must be at least 1")
          @Max(value = 1_000, message = "must be at most 1000")
          Integer maxTicketsPerCustomer,
      @DecimalMin(value = "0", message = "must be at least 0")
          @DecimalMax(value = "100", message = "must be at most 100")
          @Digits(integer = 3, fraction = 2, message = "must have at most two decimals")
          BigDecimal vatRate,
      Boolean hidden) {

    OfferTerms terms() {
      return new OfferTerms(
          name.strip(),
          category == null ? "general" : category.strip(),
          priceMinor,
          currency,
          seatsPerTicket,
          seatsOnSale,
          maxTicketsPerOrder,
          maxTicketsPerCustomer,
          vatRate == null ? 0 : Vat.basisPoints(vatRate),
          Boolean.TRUE.equals(hidden));
    }
  }

  /**
   * {@code POST /events/{id}/access-codes}: a code for buyers.
   *
   * @param code what buyers type (case does not matter); a random 10-character code if absent
   * @param offers the offers it applies to (hidden ones are unlocked by it); every offer if absent
   *     or empty
   * @param uses tickets it may be used for in all; 1 (single use) if absent
   * @param validFrom from when it works, the venue's wall-clock time; at once if absent
   * @param validUntil until when it works, the venue's wall-clock time; until sales end if absent
   * @param presale whether its holders may reserve before sales open; not by default
   * @param discountPercent price reduction in percent (10, 12.5); none if absent
   */
  record NewAccessCode(
      @Pattern(regexp = AccessCodes.PATTERN, message = AccessCodes.RULE) String code,
      @Size(max = 100, message = "must name at most 100 offers")
          List<@NotNull(message = REQUIRED) @Identifier String> offers,
      @Min(value = 1, message = "must be at least 1")
          @Max(value = 1_000_000, message = "must be at most 1000000")
          Integer uses,
      @Moment LocalDateTime validFrom,
      @Moment LocalDateTime validUntil,
      Boolean presale,
      @DecimalMin(value = "0", message = "must be at least 0")
          @DecimalMax(value = "100", message = "must be at most 100")
          @Digits(integer = 3, fraction = 2, message = "must have at most two decimals")
          BigDecimal discountPercent) {

    AccessCodeTerms terms() {
      return new AccessCodeTerms(
          code == null ? null : AccessCodes.canonical(code),
          offers == null ? List.of() : offers.stream().distinct().toList(),
          uses == null ? 1 : uses,
          validFrom,
          validUntil,
          Boolean.TRUE.equals(presale),
          discountPercent == null ? 0 : Vat.basisPoints(discountPercent));
    }
  }

  /**
   * {@code POST /events/{id}/sales/open}, optional body.
   *
   * @param closesAt when sales close, the venue's wall-clock time; open until closed if absent
   */
  record OpenSales(@Moment LocalDateTime closesAt) {}

  /**
   * {@code PUT /events/{id}/seating}: the seat layout version the event is sold on.
   *
   * @param layout one of the organizer's seat layouts
   * @param version its version
   */
  record SeatingRequest(
      @NotNull(message = REQUIRED) @Identifier String layout,
      @NotNull(message = REQUIRED)
          @Min(value = 1, message = "must be at least 1")
          @Max(value = 1_000_000_000, message = "must be at most 1000000000")
          Integer version) {}

  /** {@code POST /events/{id}/cancel}. */
  record Cancellation(@NotNull(message = REQUIRED) @Text(max = 500) String reason) {}

  /** A region's time zone (Europe/Paris), not a fixed offset: summer time must follow it. */
  @Constraint(validatedBy = Region.Check.class)
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @interface Region {
    String message() default "must be an IANA time zone such as Europe/Paris";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Refuses a fixed offset. */
    final class Check implements ConstraintValidator<Region, ZoneId> {
      @Override
      public boolean isValid(ZoneId zone, ConstraintValidatorContext context) {
        return zone == null || !(zone instanceof ZoneOffset);
      }
    }
  }
}
