package io.guichet.catalog.domain;

import java.time.Instant;
import java.util.List;

/**
 * An access code an organizer created for an event. It unlocks the event's hidden offers it names
 * (all of them when it names none), lets its holders reserve before sales open when it is a presale
 * code, and may lower the price. Its uses are counted by the allocator, not here.
 *
 * @param code the code buyers type, in upper case
 * @param offerIds the offers it applies to; empty for every offer of the event
 * @param uses tickets it may be used for in all
 * @param validFrom refused before then, or null
 * @param validUntil refused from then on, or null
 * @param discountBasisPoints price reduction in hundredths of a percent
 */
public record AccessCode(
    String id,
    String eventId,
    String code,
    List<String> offerIds,
    int uses,
    Instant validFrom,
    Instant validUntil,
    boolean presale,
    int discountBasisPoints,
    Instant createdAt) {

  public AccessCode {
    offerIds = List.copyOf(offerIds);
  }

  /** Whether it applies to that offer. */
  public boolean appliesTo(String offerId) {
    return offerIds.isEmpty() || offerIds.contains(offerId);
  }

  /** Whether it may be used at this instant (its window; its count is the allocator's). */
  public boolean validAt(Instant now) {
    return (validFrom == null || !now.isBefore(validFrom))
        && (validUntil == null || now.isBefore(validUntil));
  }
}
