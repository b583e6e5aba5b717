package io.guichet.registry.domain;

import io.guichet.schemas.compatibility.CompatibilityLevel;

/** What the registry writes to its log; replaying the log rebuilds the registry. */
public sealed interface SchemaLogRecord {

  /** A schema became a version of a subject. */
  record SchemaRegistered(SchemaVersion version) implements SchemaLogRecord {}

  /**
   * The compatibility level of a subject, or the global one when subject is null, was set; a null
   * level removes a subject's own level.
   */
  record CompatibilitySet(String subject, CompatibilityLevel level) implements SchemaLogRecord {}
}
