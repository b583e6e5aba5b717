package io.guichet.standalone;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the standalone keeps its data and which ports it uses. Each setting comes from a
 * command-line option ({@code --data-dir=...}), else an environment variable ({@code
 * GUICHET_DATA_DIR}), else its default. Port 0 means any free port.
 *
 * @param dataDir data of the broker, PostgreSQL, the registry's log and the services ({@code
 *     ./data})
 * @param kafkaPort broker port (9092)
 * @param postgresPort PostgreSQL port (15432, away from a system PostgreSQL on 5432)
 * @param registryPort schema registry port (8081)
 * @param firstServicePort the first service listens there, the next one on the next port (8082)
 * @param gatewayPort the gateway, the one entry point to every service's API (8080)
 * @param kafkaFlushEveryWrite whether the broker flushes each record to disk before acknowledging
 *     it ({@code --kafka-flush-every-write=true}; false: Kafka's own flush schedule)
 */
public record StandaloneSettings(
    Path dataDir,
    int kafkaPort,
    int postgresPort,
    int registryPort,
    int firstServicePort,
    int gatewayPort,
    boolean kafkaFlushEveryWrite) {

  /** Kafka's own flush schedule. */
  public StandaloneSettings(
      Path dataDir,
      int kafkaPort,
      int postgresPort,
      int registryPort,
      int firstServicePort,
      int gatewayPort) {
    this(dataDir, kafkaPort, postgresPort, registryPort, firstServicePort, gatewayPort, false);
  }

  public static StandaloneSettings from(String[] args, Map<String, String> env) {
    return new StandaloneSettings(
        Path.of(setting(args, env, "data-dir", "./data")).toAbsolutePath().normalize(),
        port(setting(args, env, "kafka-port", "9092")),
        port(setting(args, env, "postgres-port", "15432")),
        port(setting(args, env, "registry-port", "8081")),
        port(setting(args, env, "first-service-port", "8082")),
        port(setting(args, env, "gateway-port", "8080")),
        flag(setting(args, env, "kafka-flush-every-write", "false")));
  }

  /** The port of the n-th service started (0 stays 0: any free port). */
  int servicePort(int index) {
    return firstServicePort == 0 ? 0 : firstServicePort + index;
  }

  private static String setting(
      String[] args, Map<String, String> env, String name, String fallback) {
    for (String arg : args) {
      if (arg.startsWith("--" + name + "=")) {
        return arg.substring(name.length() + 3);
      }
    }
    String variable = "GUICHET_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    return env.getOrDefault(variable, fallback);
  }

  private static boolean flag(String value) {
    switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException("not true or false: " + value);
    }
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException("not a port: " + value);
  }
}
