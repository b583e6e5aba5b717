package io.guichet.query;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;

/** The query service in the standalone mode. */
public final class QueryService implements GuichetService {

  @Override
  public String name() {
    return "query";
  }

  @Override
  public int order() {
    return 70;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    return BootServices.start(
        QueryApplication.application(),
        environment,
        "query",
        "(GET /views/reservations, /views/tickets, /views/events/{id}/availability, ...)",
        "--guichet.query.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.query.schema-registry-url=" + environment.schemaRegistryUrl());
  }
}
