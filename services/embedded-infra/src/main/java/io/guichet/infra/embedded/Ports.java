package io.guichet.infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for servers started with port 0 ("any"). */
public final class Ports {

  private Ports() {}

  /** The port itself when it is set, otherwise a port free on the loopback address right now. */
  public static int orFree(int port) {
    if (port > 0) {
      return port;
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback address", e);
    }
  }
}
