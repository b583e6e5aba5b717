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

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    return BootServices.start(
        BookingApplication.application(),
        environment,
        "booking",
        "(POST /reservations, GET /reservations/{id}[/events]; health at /actuator/health)",
        "--guichet.booking.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.booking.schema-registry-url=" + environment.schemaRegistryUrl(),
        "--guichet.booking.allocator.state-dir=" + environment.dataDir().resolve("allocator"));
  }
}
