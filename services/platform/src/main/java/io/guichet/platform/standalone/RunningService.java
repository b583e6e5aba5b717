package io.guichet.platform.standalone;

/** A started service: where it listens, and how to stop it. */
public interface RunningService extends AutoCloseable {

  /**
   * Its base URL, e.g. {@code http://127.0.0.1:8082}, or a short description when it has no HTTP
   * side.
   */
  String address();

  @Override
  void close();
}
