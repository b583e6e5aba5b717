package io.guichet.notification.adapter.out.http;

import io.guichet.notification.domain.WebhookAddresses;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a webhook's host and refuses, before any connection, when one of its addresses is not
 * for webhooks ({@link WebhookAddresses}): the connection then goes to an address this check has
 * seen, so DNS answering differently later (rebinding) cannot smuggle an internal one in. An
 * address literal in the URL is checked the same way (Netty would take it as resolved).
 */
final class GuardedResolver extends AddressResolverGroup<InetSocketAddress> {

  private final WebhookAddresses addresses;

  GuardedResolver(WebhookAddresses addresses) {
    this.addresses = addresses;
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new Checked(executor, addresses);
  }

  /** The address is not one webhooks may be delivered to. */
  static final class RefusedAddress extends UnknownHostException {
    RefusedAddress(String host, String why) {
      super(host + ": not delivered to, " + why);
    }
  }

  private static final class Checked extends AbstractAddressResolver<InetSocketAddress> {

    private final WebhookAddresses addresses;

    Checked(EventExecutor executor, WebhookAddresses addresses) {
      super(executor, InetSocketAddress.class);
      this.addresses = addresses;
    }

    @Override
    protected boolean doIsResolved(InetSocketAddress address) {
      return false; // even an address literal goes through the check
    }

    @Override
    protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
      try {
        promise.setSuccess(new InetSocketAddress(checked(address).get(0), address.getPort()));
      } catch (UnknownHostException e) {
        promise.setFailure(e);
      }
    }

    @Override
    protected void doResolveAll(
        InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
      try {
        promise.setSuccess(
            checked(address).stream()
                .map(resolved -> new InetSocketAddress(resolved, address.getPort()))
                .toList());
      } catch (UnknownHostException e) {
        promise.setFailure(e);
      }
    }

    private List<InetAddress> checked(InetSocketAddress address) throws UnknownHostException {
      String host = address.getHostString();
      List<InetAddress> all =
          address.isUnresolved()
              ? Arrays.asList(InetAddress.getAllByName(host))
              : List.of(address.getAddress());
      for (InetAddress resolved : all) {
        Optional<String> refusal = addresses.refusal(resolved);
        if (refusal.isPresent()) {
          throw new RefusedAddress(host, refusal.get());
        }
      }
      return all;
    }
  }
}
