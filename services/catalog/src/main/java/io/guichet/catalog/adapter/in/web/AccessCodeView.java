package io.guichet.catalog.adapter.in.web;

import io.guichet.catalog.domain.AccessCode;
import io.guichet.platform.money.Vat;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * An access code as its organizer sees it: the window in the venue's wall-clock time, with the UTC
 * instants. How often it was used is in the organizer's statistics (query), which count what the
 * allocator decided.
 *
 * @param offers the offers it applies to; empty for every offer
 * @param uses tickets it may be used for in all
 * @param discountPercent price reduction in percent
 */
record AccessCodeView(
    String id,
    String event,
    String code,
    List<String> offers,
    int uses,
    String validFrom,
    String validUntil,
    String validFromUtc,
    String validUntilUtc,
    boolean presale,
    BigDecimal discountPercent,
    String createdAt) {

  static AccessCodeView of(AccessCode code, ZoneId zone) {
    return new AccessCodeView(
        code.id(),
        code.eventId(),
        code.code(),
        code.offerIds(),
        code.uses(),
        local(code.validFrom(), zone),
        local(code.validUntil(), zone),
        code.validFrom() == null ? null : code.validFrom().toString(),
        code.validUntil() == null ? null : code.validUntil().toString(),
        code.presale(),
        Vat.percent(code.discountBasisPoints()),
        code.createdAt().toString());
  }

  private static String local(Instant instant, ZoneId zone) {
    return instant == null ? null : instant.atZone(zone).toLocalDateTime().toString();
  }
}
