package io.guichet.notification.adapter.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.guichet.notification.domain.WebhookAddresses;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardedResolverTest {

  private static Future<InetSocketAddress> resolve(List<String> allowed, InetSocketAddress address)
      throws Exception {
    AddressResolver<InetSocketAddress> resolver =
        new GuardedResolver(new WebhookAddresses(allowed))
            .getResolver(ImmediateEventExecutor.INSTANCE);
    return resolver.resolve(address).await();
  }

  @Test
  void refuses_a_name_that_resolves_to_an_internal_address() throws Exception {
    Future<InetSocketAddress> resolved =
        resolve(List.of(), InetSocketAddress.createUnresolved("localhost", 80));
    assertThat(resolved.isSuccess()).isFalse();
    assertThat(resolved.cause()).isInstanceOf(GuardedResolver.RefusedAddress.class);
  }

  @Test
  void refuses_an_internal_address_literal_that_netty_would_take_as_resolved() throws Exception {
    Future<InetSocketAddress> resolved =
        resolve(List.of(), new InetSocketAddress("169.254.169.254", 80));
    assertThat(resolved.isSuccess()).isFalse();
    assertThat(resolved.cause()).isInstanceOf(GuardedResolver.RefusedAddress.class);
  }

  @Test
  void connects_to_an_allowed_network_at_the_address_it_checked() throws Exception {
    Future<InetSocketAddress> resolved =
        resolve(List.of("127.0.0.0/8"), new InetSocketAddress("127.0.0.1", 8080));
    assertThat(resolved.isSuccess()).isTrue();
    assertThat(resolved.getNow().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(resolved.getNow().getPort()).isEqualTo(8080);
  }
}
