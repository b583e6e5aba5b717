package io.guichet.identity.application;

import java.time.Instant;

/**
 * A refresh token as stored: its SHA-256, the family it was rotated from (one per login), and
 * whether it was used (rotated) or revoked.
 */
public record RefreshToken(
    String tokenHash,
    String familyId,
    String accountId,
    Instant issuedAt,
    Instant expiresAt,
    Instant usedAt,
    Instant revokedAt) {}
