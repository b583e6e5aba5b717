package io.guichet.gateway;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request is counted by: the connection's peer, or, when the peer is a trusted proxy,
 * the last address that proxy appended to {@code X-Forwarded-For} (a client can write anything in
 * the header; only what the trusted proxy appended is believed).
 */
final class ClientAddress {

  private final Set<String> trustedProxies;

  ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  String of(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    String peer =
        remote == null || remote.getAddress() == null
            ? "unknown"
            : remote.getAddress().getHostAddress();
    if (!trustedProxies.contains(peer)) {
      return peer;
    }
    List<String> forwarded = request.getHeaders().getValuesAsList("X-Forwarded-For");
    if (forwarded.isEmpty()) {
      return peer;
    }
    String last = forwarded.get(forwarded.size() - 1).strip();
    return last.isEmpty() ? peer : last;
  }
}
