package io.guichet.catalog.domain;

import java.time.LocalDateTime;
import java.util.List;

/**
 * An access code as the organizer asks for it, its window in the venue's wall-clock time.
 *
 * @param code the code buyers type, in upper case
 * @param offerIds the offers it applies to; empty for every offer
 * @param uses tickets it may be used for in all
 * @param validFrom from when it works, or null
 * @param validUntil until when it works, or null
 * @param presale whether its holders may reserve before sales open
 * @param discountBasisPoints price reduction in hundredths of a percent
 */
public record AccessCodeTerms(
    String code,
    List<String> offerIds,
    int uses,
    LocalDateTime validFrom,
    LocalDateTime validUntil,
    boolean presale,
    int discountBasisPoints) {

  public AccessCodeTerms {
    offerIds = List.copyOf(offerIds);
  }
}
