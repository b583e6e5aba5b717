package io.guichet.outbox;

/**
 * How far a projection has read since its service started. A service whose answers read a
 * projection refuses with 503 and {@code Retry-After} until it has caught up once: after a restart
 * its read model is behind the topics, and a 404 or 409 drawn from it would be wrong (a held
 * reservation "unknown" to payment, a valid ticket "unknown" to the gate).
 */
public interface ProjectionProgress {

  /**
   * Whether, since it started, the projection has once read everything on its partitions (up to a
   * few records that arrived meanwhile): from then on its rows are as fresh as its consumer's lag.
   */
  boolean caughtUpSinceStart();
}
