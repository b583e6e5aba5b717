package io.guichet.notification.domain;

/**
 * Where an account's emails go, and in which language.
 *
 * @param language the account's language ("fr", "en"...); English when it has no templates
 */
public record Recipient(String email, String language) {}
