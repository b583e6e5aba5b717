package io.guichet.web;

import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a Spring Boot service the way the standalone runner needs it. */
public final class BootServices {

  private BootServices() {}

  /**
   * Runs the application on loopback at the environment's port, with its own database (if named)
   * and these further arguments.
   *
   * @param database the service's database on the standalone's PostgreSQL, or null for none
   * @param what what it serves, shown after its address in the standalone's summary
   */
  public static RunningService start(
      SpringApplication application,
      StandaloneEnvironment environment,
      String database,
      String what,
      String... arguments) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + environment.httpPort());
    args.add("--server.address=127.0.0.1");
    if (database != null) {
      // The embedded PostgreSQL trusts local connections; the URL names the user.
      args.add("--spring.r2dbc.url=" + environment.postgresR2dbcUrl().apply(database));
      args.add("--spring.r2dbc.username=");
      args.add("--spring.r2dbc.password=");
    }
    // Where every service reads identity's signing keys (guichet-access).
    args.add("--guichet.access.bootstrap-servers=" + environment.kafkaBootstrapServers());
    args.add("--guichet.access.schema-registry-url=" + environment.schemaRegistryUrl());
    args.addAll(List.of(arguments));
    // The standalone stops its services in order, before the broker and the database they use;
    // Spring's own hook would stop them at the same time as those.
    application.setRegisterShutdownHook(false);
    ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    // Set by Boot when the actuator has a port of its own (management.server.port).
    String managementPort = context.getEnvironment().getProperty("local.management.port");
    return new RunningService() {
      @Override
      public String address() {
        return "http://127.0.0.1:" + port + "  " + what;
      }

      @Override
      public Optional<String> managementUrl() {
        return Optional.ofNullable(managementPort)
            .filter(management -> !management.equals(Integer.toString(port)))
            .map(management -> "http://127.0.0.1:" + management);
      }

      @Override
      public void close() {
        context.close();
      }
    };
  }
}
