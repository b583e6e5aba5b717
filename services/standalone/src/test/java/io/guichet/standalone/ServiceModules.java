package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The service modules of the checkout and what their configuration files declare, for the tests
 * that hold deployment files (compose, Kubernetes, Prometheus, nginx) to the code.
 */
final class ServiceModules {

  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:([^}]*))?}");
  private static final Pattern PORT = Pattern.compile("(?m)^server:\\s*\\n\\s+port:\\s*(\\d+)");

  private ServiceModules() {}

  /** The modules whose pom declares {@code <guichet.kind>service</guichet.kind>}, sorted. */
  static List<String> services() throws IOException {
    List<String> services = new ArrayList<>();
    try (Stream<Path> modules = Files.list(ROOT.resolve("services"))) {
      for (Path module : modules.sorted().toList()) {
        Path pom = module.resolve("pom.xml");
        if (Files.exists(pom)
            && Files.readString(pom).contains("<guichet.kind>service</guichet.kind>")) {
          services.add(module.getFileName().toString());
        }
      }
    }
    assertThat(services).contains("booking", "gateway", "identity");
    return services;
  }

  /** The service's own configuration file ({@code <service>.yml}). */
  static String config(String service) throws IOException {
    return Files.readString(
        ROOT.resolve("services/" + service + "/src/main/resources/" + service + ".yml"));
  }

  private static final Pattern MANAGEMENT_PORT =
      Pattern.compile(
          "(?m)^management:\\s*\\n\\s+server:\\s*\\n(?:\\s+#.*\\n)*\\s+port:\\s*\\$\\{MANAGEMENT_PORT:(\\d+)}");

  /**
   * Where its actuator (health with details, metrics) listens: its own port, unless its
   * configuration gives the actuator one of its own ({@code management.server.port}, the gateway).
   */
  static int managementPort(String service) throws IOException {
    Matcher port = MANAGEMENT_PORT.matcher(config(service));
    return port.find() ? Integer.parseInt(port.group(1)) : port(service);
  }

  /** The port its configuration listens on ({@code server.port}). */
  static int port(String service) throws IOException {
    Matcher port = PORT.matcher(config(service));
    assertThat(port.find()).as("server.port of " + service).isTrue();
    return Integer.parseInt(port.group(1));
  }

  /** Environment variables its configuration reads ({@code ${NAME}} or {@code ${NAME:default}}). */
  static Set<String> environmentRead(String service) throws IOException {
    Set<String> read = new HashSet<>();
    Matcher placeholder = PLACEHOLDER.matcher(config(service));
    while (placeholder.find()) {
      read.add(placeholder.group(1));
    }
    return read;
  }

  /** Those with no default ({@code ${NAME:}}): secrets, or settings with no safe default. */
  static Set<String> environmentRequired(String service) throws IOException {
    Set<String> required = new HashSet<>();
    Matcher placeholder = PLACEHOLDER.matcher(config(service));
    while (placeholder.find()) {
      if (placeholder.group(2) != null && placeholder.group(3).isEmpty()) {
        required.add(placeholder.group(1));
      }
    }
    return required;
  }

  /**
   * Whether a deployment may set this variable for the service: its configuration reads it, or it
   * is one of Spring's relaxed {@code GUICHET_*} bindings, or the JVM's own options.
   */
  static boolean mayBeSet(String service, String name) throws IOException {
    return environmentRead(service).contains(name)
        || name.startsWith("GUICHET_")
        || name.equals("JAVA_TOOL_OPTIONS");
  }
}
