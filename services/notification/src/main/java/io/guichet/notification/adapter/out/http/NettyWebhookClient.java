package io.guichet.notification.adapter.out.http;

import io.guichet.notification.application.WebhookClient;
import io.guichet.notification.domain.WebhookAddresses;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Posts with Reactor Netty: JSON body, the signature headers, a timeout; redirects are not followed
 * (a partner's endpoint answers itself), and the answer's body is read and thrown away (it is never
 * shown back). Every address it connects to is the one it checked ({@link GuardedResolver}), so a
 * name that resolves to an internal address, at registration or any time after, is never reached.
 */
public final class NettyWebhookClient implements WebhookClient, AutoCloseable {

  private final HttpClient http;
  private final Duration timeout;
  private final LoopResources loops;
  private final ConnectionProvider connections;

  public NettyWebhookClient(Duration timeout, WebhookAddresses addresses) {
    this.timeout = timeout;
    this.loops = LoopResources.create("guichet-webhooks", 1, true);
    this.connections = ConnectionProvider.create("guichet-webhooks", 50);
    this.http =
        HttpClient.create(connections)
            .runOn(loops)
            .resolver(new GuardedResolver(addresses))
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
            .responseTimeout(timeout)
            .followRedirect(false);
  }

  @Override
  public CompletableFuture<Integer> post(String url, Map<String, String> headers, String body) {
    return http.headers(
            sent -> {
              sent.set("Content-Type", "application/json");
              sent.set("User-Agent", "Guichet-Webhooks/1");
              headers.forEach(sent::set);
            })
        .post()
        .uri(url)
        .send(ByteBufFlux.fromString(Mono.just(body)))
        .responseSingle((answer, content) -> content.then(Mono.just(answer.status().code())))
        .timeout(timeout)
        .toFuture();
  }

  @Override
  public void close() {
    connections.dispose();
    loops.dispose();
  }
}
