package io.guichet.booking;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Booking in the standalone mode: the allocator against the standalone's broker and registry. */
public final class BookingService implements GuichetService {

  @Override
  public String name() {
    return "booking";
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    ConfigurableApplicationContext context =
        BookingApplication.application()
            .run(
                "--server.port=" + environment.httpPort(),
                "--server.address=127.0.0.1",
                "--guichet.booking.bootstrap-servers=" + environment.kafkaBootstrapServers(),
                "--guichet.booking.schema-registry-url=" + environment.schemaRegistryUrl(),
                "--guichet.booking.allocator.state-dir="
                    + environment.dataDir().resolve("allocator"));
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return new RunningService() {
      @Override
      public String address() {
        return "http://127.0.0.1:" + port + "  (allocator; health at /actuator/health)";
      }

      @Override
      public void close() {
        context.close();
      }
    };
  }
}
