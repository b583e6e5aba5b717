package io.guichet.gateway;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway in the standalone mode: started last, on the gateway port (8080), in front of every
 * service started before it.
 */
public final class GatewayService implements GuichetService {

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public boolean entryPoint() {
    return true;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    List<String> args = new ArrayList<>();
    // Health with details and metrics on a port of their own, on loopback like the services.
    args.add("--management.server.port=" + environment.managementPort());
    args.add("--management.server.address=127.0.0.1");
    for (Map.Entry<String, String> service : environment.serviceUrls().entrySet()) {
      args.add("--guichet.gateway.services." + service.getKey() + "=" + service.getValue());
    }
    return BootServices.start(
        GatewayApplication.application(),
        environment,
        null,
        "(every API above, on one port, with rate limits)",
        args.toArray(String[]::new));
  }
}
