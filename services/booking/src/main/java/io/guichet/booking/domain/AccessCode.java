package io.guichet.booking.domain;

import io.guichet.booking.domain.Ids.EventId;
import io.guichet.booking.domain.Ids.OfferId;
import java.time.Instant;
import java.util.Set;

/**
 * An event's access code as the allocator keeps it: its terms, as the catalog published them, and
 * the tickets it was used for so far. The allocator alone counts uses, in the partition's order, so
 * a code with 100 uses is used for exactly 100 tickets whatever the burst.
 *
 * @param id the code's id, which facts name
 * @param digest the digest requests carry (never the code)
 * @param offers the offers it applies to; empty for every offer of the event
 * @param uses tickets it may be used for in all
 * @param used tickets held or sold with it now (an ended hold gives its tickets back)
 * @param validFrom refused before then, or null
 * @param validUntil refused from then on, or null
 * @param presale whether its holders may reserve before sales open
 * @param discountBasisPoints price reduction in hundredths of a percent
 */
public record AccessCode(
    String id,
    EventId event,
    String digest,
    Set<OfferId> offers,
    int uses,
    int used,
    Instant validFrom,
    Instant validUntil,
    boolean presale,
    int discountBasisPoints) {

  public AccessCode {
    offers = Set.copyOf(offers);
    if (uses < 1 || discountBasisPoints < 0 || discountBasisPoints > 10_000) {
      throw new IllegalArgumentException("access code " + id + " has impossible terms");
    }
  }

  public boolean appliesTo(OfferId offer) {
    return offers.isEmpty() || offers.contains(offer);
  }

  /** Whether it may be used at this instant (its window; not its count). */
  public boolean validAt(Instant now) {
    return (validFrom == null || !now.isBefore(validFrom))
        && (validUntil == null || now.isBefore(validUntil));
  }

  public int left() {
    return Math.max(0, uses - used);
  }

  /** The price of tickets bought with it: reduced, rounded half up to the minor unit. */
  public Money reduce(Money price) {
    long reduced =
        (Math.multiplyExact(price.minor(), 10_000 - discountBasisPoints) + 5_000) / 10_000;
    return new Money(reduced, price.currency());
  }

  /** Uses taken (positive) or given back (negative). */
  public AccessCode withUsed(int delta) {
    return new AccessCode(
        id,
        event,
        digest,
        offers,
        uses,
        Math.max(0, used + delta),
        validFrom,
        validUntil,
        presale,
        discountBasisPoints);
  }

  /** New terms from the catalog (the same code published again); its uses so far stay. */
  public AccessCode withTermsOf(AccessCode published) {
    return published.withUsed(used - published.used());
  }
}
