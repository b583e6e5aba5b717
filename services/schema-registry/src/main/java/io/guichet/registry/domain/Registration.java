package io.guichet.registry.domain;

/**
 * The outcome of asking to register a schema: either it was already a version of the subject, or it
 * becomes a new one that must be logged.
 */
public sealed interface Registration {

  SchemaVersion version();

  record AlreadyRegistered(SchemaVersion version) implements Registration {}

  record NewVersion(SchemaVersion version) implements Registration {}
}
