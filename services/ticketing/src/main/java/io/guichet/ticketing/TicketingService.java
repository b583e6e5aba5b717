package io.guichet.ticketing;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;

/** Ticketing in the standalone mode; its master key is a generated development secret. */
public final class TicketingService implements GuichetService {

  @Override
  public String name() {
    return "ticketing";
  }

  @Override
  public int order() {
    return 40;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    return BootServices.start(
        TicketingApplication.application(),
        environment,
        "ticketing",
        "(GET /tickets?reservation=, /tickets/{id}/qr, /tickets/{id}/wallet)",
        "--guichet.ticketing.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.ticketing.schema-registry-url=" + environment.schemaRegistryUrl(),
        "--guichet.ticketing.master-key=" + environment.secrets().get("ticketing-master-key"),
        "--guichet.ticketing.ticket-code-key=" + environment.secrets().get("ticket-code-key"));
  }
}
