package io.guichet.booking;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Booking in the standalone mode: commands, status and the allocator on the standalone's stack. */
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
                    + environment.dataDir().resolve("allocator"),
                "--spring.r2dbc.url=" + environment.postgresR2dbcUrl().apply("booking"),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password=");
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return new RunningService() {
      @Override
      public String address() {
        return "http://127.0.0.1:"
            + port
            + "  (POST /reservations, GET /reservations/{id}[/events]; health at /actuator/health)";
      }

      @Override
      public void close() {
        context.close();
      }
    };
  }
}
