package io.guichet.notification.domain;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which network addresses a partner's webhook may be delivered to: none of the machine's own or of
 * the private networks behind it (loopback, private, link-local, unique-local, shared CGNAT,
 * unspecified, multicast, cloud metadata), unless an operator allows a network by name (the
 * standalone allows loopback, for receivers on the same machine). Otherwise a registered URL would
 * let anyone with the admin role reach inside the network from the notification service (SSRF).
 * IPv4 addresses carried in IPv6 (mapped, NAT64, 6to4) are judged as the IPv4 address they carry.
 */
public final class WebhookAddresses {

  private static final List<Network> REFUSED =
      List.of(
          Network.parse("0.0.0.0/8"),
          Network.parse("10.0.0.0/8"),
          Network.parse("100.64.0.0/10"),
          Network.parse("127.0.0.0/8"),
          Network.parse("169.254.0.0/16"),
          Network.parse("172.16.0.0/12"),
          Network.parse("192.0.0.0/24"),
          Network.parse("192.168.0.0/16"),
          Network.parse("198.18.0.0/15"),
          Network.parse("224.0.0.0/4"),
          Network.parse("240.0.0.0/4"),
          Network.parse("::/128"),
          Network.parse("::1/128"),
          Network.parse("fc00::/7"),
          Network.parse("fe80::/10"),
          Network.parse("ff00::/8"));

  private final List<Network> allowed;

  /**
   * @param allowed networks an operator allows despite the rules, as CIDRs ({@code 127.0.0.0/8})
   */
  public WebhookAddresses(List<String> allowed) {
    this.allowed = allowed.stream().map(Network::parse).toList();
  }

  /** Why the address may not receive webhooks, or empty if it may. */
  public Optional<String> refusal(InetAddress address) {
    List<InetAddress> judged =
        carriedIpv4(address).map(carried -> List.of(address, carried)).orElse(List.of(address));
    if (judged.stream().anyMatch(one -> allowed.stream().anyMatch(net -> net.contains(one)))) {
      return Optional.empty();
    }
    return judged.stream()
        .filter(one -> REFUSED.stream().anyMatch(network -> network.contains(one)))
        .findFirst()
        .map(
            one ->
                one.getHostAddress()
                    + " is a loopback, private, link-local or otherwise internal address");
  }

  /** The IPv4 address an IPv6 one carries (::ffff:a.b.c.d, 64:ff9b::a.b.c.d, 2002:ab:cd::). */
  static Optional<InetAddress> carriedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] bytes = address.getAddress();
    boolean mapped = zero(bytes, 0, 10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    boolean nat64 =
        bytes[0] == 0x00
            && bytes[1] == 0x64
            && bytes[2] == (byte) 0xff
            && bytes[3] == (byte) 0x9b
            && zero(bytes, 4, 12);
    boolean compatible = zero(bytes, 0, 12) && !zero(bytes, 12, 16);
    try {
      if (mapped || nat64 || compatible) {
        return Optional.of(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
      }
      if (bytes[0] == 0x20 && bytes[1] == 0x02) {
        return Optional.of(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 2, 6)));
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return Optional.empty();
  }

  private static boolean zero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** An address block: its first address and the length of its prefix. */
  record Network(byte[] base, int prefix) {

    static Network parse(String cidr) {
      String[] parts = cidr.strip().split("/", 2);
      try {
        // Only literal addresses: parsing one never looks a name up.
        if (!parts[0].matches("[0-9a-fA-F:.]+")) {
          throw new IllegalArgumentException("not an address: " + cidr);
        }
        byte[] base = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : base.length * 8;
        if (prefix < 0 || prefix > base.length * 8) {
          throw new IllegalArgumentException("prefix out of range: " + cidr);
        }
        return new Network(base, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not a network: " + cidr, e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != base.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (bytes[i] != base[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (bytes[whole] & mask) == (base[whole] & mask);
    }
  }
}
