package io.guichet.notification;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;

/**
 * The notification service in the standalone mode, with a mail catcher of its own (GreenMail): it
 * accepts every email over SMTP and keeps it in the recipient's mailbox, readable over IMAP (user
 * and password: the recipient's address). Nothing leaves the machine.
 */
public final class NotificationService implements GuichetService {

  /** The mail catcher's SMTP and IMAP ports, when the standalone uses fixed ports. */
  public static final int SMTP_PORT = 2525;

  public static final int IMAP_PORT = 2143;

  @Override
  public String name() {
    return "notification";
  }

  @Override
  public int order() {
    return 80;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    boolean fixed = environment.httpPort() != 0;
    ServerSetup smtp =
        new ServerSetup(fixed ? SMTP_PORT : 0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    ServerSetup imap =
        new ServerSetup(fixed ? IMAP_PORT : 0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
    GreenMail catcher =
        new GreenMail(
            fixed
                ? new ServerSetup[] {smtp, imap}
                : new ServerSetup[] {smtp.dynamicPort(), imap.dynamicPort()});
    catcher.start();
    int smtpPort = catcher.getSmtp().getPort();
    int imapPort = catcher.getImap().getPort();
    RunningService service;
    try {
      service =
          BootServices.start(
              NotificationApplication.application(),
              environment,
              "notification",
              "(emails to the mail catcher: SMTP 127.0.0.1:"
                  + smtpPort
                  + ", read over IMAP 127.0.0.1:"
                  + imapPort
                  + " as the recipient)",
              "--guichet.notification.bootstrap-servers=" + environment.kafkaBootstrapServers(),
              "--guichet.notification.schema-registry-url=" + environment.schemaRegistryUrl(),
              "--guichet.notification.master-key="
                  + environment.secrets().get("notification-master-key"),
              // Partners' test receivers on this machine are plain http.
              "--guichet.notification.webhooks.allow-plain-http=true",
              // ...and on loopback: allowed here explicitly (refused by default).
              "--guichet.notification.webhooks.allowed-networks=127.0.0.0/8,::1/128",
              "--spring.mail.host=127.0.0.1",
              "--spring.mail.port=" + smtpPort);
    } catch (RuntimeException e) {
      catcher.stop();
      throw e;
    }
    return new RunningService() {
      @Override
      public String address() {
        return service.address();
      }

      @Override
      public void close() {
        service.close();
        catcher.stop();
      }
    };
  }
}
