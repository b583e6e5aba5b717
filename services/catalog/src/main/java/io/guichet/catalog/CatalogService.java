package io.guichet.catalog;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;

/** The catalog in the standalone mode, on the standalone's broker, registry and PostgreSQL. */
public final class CatalogService implements GuichetService {

  @Override
  public String name() {
    return "catalog";
  }

  /**
   * Services start in a fixed order, so each keeps its port (booking 8082, catalog 8083, payment
   * 8084...).
   */
  @Override
  public int order() {
    return 20;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    return BootServices.start(
        CatalogApplication.application(),
        environment,
        "catalog",
        "(POST /events, /events/{id}/offers, /events/{id}/sales/open...)",
        "--guichet.catalog.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.catalog.schema-registry-url=" + environment.schemaRegistryUrl());
  }
}
