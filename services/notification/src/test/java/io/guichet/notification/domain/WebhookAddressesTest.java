package io.guichet.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookAddressesTest {

  private final WebhookAddresses strict = new WebhookAddresses(List.of());

  private static InetAddress at(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void refuses_the_machines_own_and_internal_addresses() throws Exception {
    for (String internal :
        List.of(
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd00:ec2::254",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:a00:1::1")) {
      assertThat(strict.refusal(at(internal))).as(internal).isPresent();
    }
  }

  @Test
  void delivers_to_public_addresses() throws Exception {
    for (String outside :
        List.of("93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
      assertThat(strict.refusal(at(outside))).as(outside).isEmpty();
    }
  }

  @Test
  void an_operator_may_allow_a_network() throws Exception {
    WebhookAddresses local = new WebhookAddresses(List.of("127.0.0.0/8", "::1/128"));
    assertThat(local.refusal(at("127.0.0.1"))).isEmpty();
    assertThat(local.refusal(at("::1"))).isEmpty();
    assertThat(local.refusal(at("::ffff:127.0.0.1"))).isEmpty();
    assertThat(local.refusal(at("10.0.0.1"))).isPresent();
  }
}
