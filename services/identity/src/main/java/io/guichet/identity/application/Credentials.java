package io.guichet.identity.application;

/**
 * What a caller logs in with: email and password, and for an account with a second factor either
 * the current TOTP {@code code} or one of its {@code recoveryCode}s (null when absent).
 */
public record Credentials(String email, String password, String code, String recoveryCode) {}
