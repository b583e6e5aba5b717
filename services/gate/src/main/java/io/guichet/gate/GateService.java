package io.guichet.gate;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;

/** The gate in the standalone mode. */
public final class GateService implements GuichetService {

  @Override
  public String name() {
    return "gate";
  }

  @Override
  public int order() {
    return 50;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    return BootServices.start(
        GateApplication.application(),
        environment,
        "gate",
        "(POST /scans, GET /events/{id}/scanner-bundle)",
        "--guichet.gate.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.gate.schema-registry-url=" + environment.schemaRegistryUrl(),
        "--guichet.gate.ticket-code-key=" + environment.secrets().get("ticket-code-key"));
  }
}
