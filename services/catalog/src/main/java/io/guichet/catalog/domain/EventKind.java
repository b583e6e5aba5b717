package io.guichet.catalog.domain;

/** What sort of event it is. */
public enum EventKind {
  CONCERT,
  MATCH,
  CONFERENCE,
  TRAINING_SESSION
}
