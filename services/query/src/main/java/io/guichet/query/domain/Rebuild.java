package io.guichet.query.domain;

import java.time.Instant;

/**
 * A rebuild of the read models from the topics.
 *
 * @param status RUNNING, then COMPLETED (the rebuilt models serve) or FAILED (the old ones still
 *     do)
 */
public record Rebuild(
    String rebuildId,
    String requestedBy,
    String status,
    Instant startedAt,
    Instant finishedAt,
    String detail) {}
