package io.guichet.schemas.compatibility;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The compatibility levels of the Confluent Schema Registry, with the same names and meaning. */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean newReadsOld;
  private final boolean oldReadsNew;
  private final boolean transitive;

  CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  /** Consumers using the new schema must read data written with the old one. */
  boolean newReadsOld() {
    return newReadsOld;
  }

  /** Consumers still on the old schema must read data written with the new one. */
  boolean oldReadsNew() {
    return oldReadsNew;
  }

  /** The versions a new schema is checked against, given all earlier ones, oldest first. */
  <T> List<T> versionsToCheck(List<T> earlierOldestFirst) {
    if (earlierOldestFirst.isEmpty() || this == NONE) {
      return List.of();
    }
    return transitive
        ? earlierOldestFirst
        : List.of(earlierOldestFirst.get(earlierOldestFirst.size() - 1));
  }

  /** Parses a level name as the registry's REST API spells it, ignoring case. */
  public static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }
}
