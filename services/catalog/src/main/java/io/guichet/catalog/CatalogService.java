package io.guichet.catalog;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The catalog in the standalone mode, on the standalone's broker, registry and PostgreSQL. */
public final class CatalogService implements GuichetService {

  @Override
  public String name() {
    return "catalog";
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    ConfigurableApplicationContext context =
        CatalogApplication.application()
            .run(
                "--server.port=" + environment.httpPort(),
                "--server.address=127.0.0.1",
                "--guichet.catalog.bootstrap-servers=" + environment.kafkaBootstrapServers(),
                "--guichet.catalog.schema-registry-url=" + environment.schemaRegistryUrl(),
                "--spring.r2dbc.url=" + environment.postgresR2dbcUrl().apply("catalog"),
                "--spring.r2dbc.username=",
                "--spring.r2dbc.password=");
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return new RunningService() {
      @Override
      public String address() {
        return "http://127.0.0.1:" + port + "  (POST /events, /events/{id}/offers, /sales/open...)";
      }

      @Override
      public void close() {
        context.close();
      }
    };
  }
}
