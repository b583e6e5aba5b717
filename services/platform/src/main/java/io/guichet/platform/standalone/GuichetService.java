package io.guichet.platform.standalone;

/**
 * A Guichet service the standalone runner starts. Each service module declares its implementation
 * in {@code META-INF/services/io.guichet.platform.standalone.GuichetService}; the runner starts
 * every one it finds on its classpath, after the broker, PostgreSQL and the registry are up.
 */
public interface GuichetService {

  /** Short name, e.g. {@code booking}; also its database name when it keeps tables. */
  String name();

  /** Start order among services: lower first (read models before command side, for example). */
  default int order() {
    return 100;
  }

  /**
   * Whether this is the standalone's entry point (the gateway): it starts last, on the gateway
   * port, and is given every other service's address.
   */
  default boolean entryPoint() {
    return false;
  }

  /** Starts the service against the standalone's infrastructure. */
  RunningService start(StandaloneEnvironment environment);
}
