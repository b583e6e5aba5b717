package io.guichet.notification.adapter.out.mail;

import io.guichet.notification.application.Mailer;
import io.guichet.notification.domain.RenderedEmail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Sends over SMTP with Spring's {@link JavaMailSender}, a batch over one connection. The Message-ID
 * is the email's own, so that a second attempt at the same email is recognizably the same message.
 * A malformed address or message fails for good; anything else (the server away, busy, refusing for
 * now) is worth a retry.
 */
public final class SmtpMailer implements Mailer {

  private final JavaMailSender sender;
  private final InternetAddress from;

  public SmtpMailer(JavaMailSender sender, String from) {
    this.sender = sender;
    try {
      this.from = new InternetAddress(from, true);
    } catch (MessagingException e) {
      throw new IllegalArgumentException("guichet.notification.from is not an address: " + from, e);
    }
  }

  @Override
  public Map<String, Failure> sendAll(List<RenderedEmail> emails) {
    Map<String, Failure> failures = new HashMap<>();
    Map<MimeMessage, String> ids = new IdentityHashMap<>();
    List<MimeMessage> messages = new ArrayList<>();
    for (RenderedEmail email : emails) {
      try {
        messages.add(message(email));
        ids.put(messages.get(messages.size() - 1), email.emailId());
      } catch (MessagingException e) {
        failures.put(
            email.emailId(),
            new Failure("the email cannot be written: " + e.getMessage(), false, e));
      }
    }
    if (messages.isEmpty()) {
      return failures;
    }
    try {
      sender.send(messages.toArray(MimeMessage[]::new));
    } catch (MailSendException e) {
      // Some were refused (or, when the server could not be reached, all of them).
      if (e.getFailedMessages().isEmpty()) {
        ids.values()
            .forEach(id -> failures.put(id, new Failure("SMTP: " + e.getMessage(), true, e)));
      }
      e.getFailedMessages()
          .forEach(
              (message, cause) ->
                  failures.put(
                      ids.get(message),
                      new Failure("SMTP: " + cause.getMessage(), !permanent(cause), cause)));
    } catch (MailParseException | MailPreparationException e) {
      ids.values().forEach(id -> failures.put(id, new Failure(e.getMessage(), false, e)));
    } catch (MailException e) {
      // The server away or refusing the credentials (configuration, fixed by an operator): all
      // of them are worth another try.
      ids.values().forEach(id -> failures.put(id, new Failure("SMTP: " + e.getMessage(), true, e)));
    }
    return failures;
  }

  /** A refusal that another try will not change: a malformed message or address. */
  private static boolean permanent(Exception cause) {
    return cause instanceof MailParseException
        || cause instanceof MailPreparationException
        || cause instanceof jakarta.mail.internet.AddressException;
  }

  private MimeMessage message(RenderedEmail email) throws MessagingException {
    MimeMessage message = sender.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
    helper.setFrom(from);
    helper.setTo(new InternetAddress(email.to(), true));
    helper.setSubject(email.subject());
    helper.setText(email.body());
    message.setHeader("Content-Language", email.language());
    // Spring's sender keeps a Message-ID set beforehand rather than making a new one.
    message.setHeader("Message-ID", email.messageId());
    return message;
  }
}
