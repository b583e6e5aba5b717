package io.guichet.notification.domain;

/**
 * An email ready for SMTP.
 *
 * @param messageId its Message-ID, derived from the email's id: the same email sent again (after a
 *     crash between sending and recording it) carries the same one, which mail systems deduplicate
 */
public record RenderedEmail(
    String emailId, String to, String language, String subject, String body, String messageId) {}
