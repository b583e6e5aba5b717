package io.guichet.catalog.domain;

import java.util.List;

/**
 * What a command on an event came to: its new state and the facts to publish, or why not. Invalid
 * means the request itself is wrong (422); conflict means the event's state forbids it now (409).
 */
public record Decision(
    CatalogEvent event, List<CatalogFact> facts, Refusal refusal, List<Violation> violations) {

  /** Why a command was refused. */
  public enum Refusal {
    INVALID,
    CONFLICT
  }

  public static Decision accepted(CatalogEvent event, CatalogFact fact) {
    return new Decision(event, List.of(fact), null, List.of());
  }

  public static Decision invalid(List<Violation> violations) {
    return new Decision(null, List.of(), Refusal.INVALID, violations);
  }

  public static Decision conflict(String message) {
    return new Decision(null, List.of(), Refusal.CONFLICT, List.of(new Violation(null, message)));
  }

  public boolean isAccepted() {
    return refusal == null;
  }
}
