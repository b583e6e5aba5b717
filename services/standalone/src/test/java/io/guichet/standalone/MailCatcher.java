package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone's mail catcher, read over IMAP as a mail client would: each address has its
 * mailbox (user and password: the address) once its first email arrived.
 */
final class MailCatcher {

  /** An email as received. */
  record Received(String subject, String body) {}

  private MailCatcher() {}

  /** The emails at this address, oldest first; none while it has received none. */
  static List<Received> inbox(Standalone standalone, String address) throws Exception {
    Matcher imap = Pattern.compile("IMAP 127\\.0\\.0\\.1:(\\d+)").matcher(standalone.summary());
    assertThat(imap.find()).as(standalone.summary()).isTrue();
    Properties settings = new Properties();
    settings.put("mail.imap.host", "127.0.0.1");
    settings.put("mail.imap.port", imap.group(1));
    jakarta.mail.Store store = jakarta.mail.Session.getInstance(settings).getStore("imap");
    try {
      store.connect(address, address);
    } catch (jakarta.mail.AuthenticationFailedException nothingYet) {
      return List.of();
    }
    try {
      jakarta.mail.Folder inbox = store.getFolder("INBOX");
      inbox.open(jakarta.mail.Folder.READ_ONLY);
      try {
        List<Received> received = new ArrayList<>();
        for (jakarta.mail.Message message : inbox.getMessages()) {
          received.add(new Received(message.getSubject(), message.getContent().toString()));
        }
        return received;
      } finally {
        inbox.close(false);
      }
    } finally {
      store.close();
    }
  }

  /** The body of the email with this subject at this address, or null. */
  static String body(Standalone standalone, String address, String subject) throws Exception {
    return inbox(standalone, address).stream()
        .filter(email -> subject.equals(email.subject()))
        .map(Received::body)
        .findFirst()
        .orElse(null);
  }
}
