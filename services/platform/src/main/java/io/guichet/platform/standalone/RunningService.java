package io.guichet.platform.standalone;

/** A started service: where it listens, and how to stop it. */
public interface RunningService extends AutoCloseable {

  /**
   * Its base URL, e.g. {@code http://127.0.0.1:8082}, or a short description when it has no HTTP
   * side.
   */
  String address();

  /**
   * The base URL of its actuator (health with details, metrics) when it is kept off the API's port,
   * as the gateway's is; empty when it shares the API's port.
   */
  default java.util.Optional<String> managementUrl() {
    return java.util.Optional.empty();
  }

  @Override
  void close();
}
