package io.guichet.booking;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;

/** Booking in the standalone mode: commands, status and the allocator on the standalone's stack. */
public final class BookingService implements GuichetService {

  @Override
  public String name() {
    return "booking";
  }

  /**
   * Services start in a fixed order, so each keeps its port (booking 8082, catalog 8083, payment
   * 8084...).
   */
  @Override
  public int order() {
    return 10;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    return BootServices.start(
        BookingApplication.application(),
        environment,
        "booking",
        "(POST /reservations, GET /reservations/{id}[/events], /waiting-rooms/**; health at"
            + " /actuator/health)",
        "--guichet.booking.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.booking.schema-registry-url=" + environment.schemaRegistryUrl(),
        "--guichet.booking.allocator.state-dir=" + environment.dataDir().resolve("allocator"),
        "--guichet.booking.waiting-room.pass-key="
            + environment.secrets().get("waiting-room-pass-key"));
  }
}
