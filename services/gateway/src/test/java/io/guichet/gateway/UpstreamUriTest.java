package io.guichet.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UpstreamUriTest {

  private static final URI BOOKING = URI.create("http://127.0.0.1:8082");

  @Test
  void passes_a_plain_request_on_as_sent() {
    assertThat(UpstreamUri.of(BOOKING, "/events/e-1", "organizer=o-1&page=2"))
        .hasValue(URI.create("http://127.0.0.1:8082/events/e-1?organizer=o-1&page=2"));
    assertThat(UpstreamUri.of(BOOKING, "/me", null))
        .hasValue(URI.create("http://127.0.0.1:8082/me"));
  }

  @Test
  void encodes_what_rfc_3986_does_not_allow_raw_and_keeps_escapes() {
    assertThat(UpstreamUri.of(BOOKING, "/views/tickets", "status[]=a%20b&x={y}|\u00e9"))
        .hasValue(
            URI.create(
                "http://127.0.0.1:8082/views/tickets?status%5B%5D=a%20b&x=%7By%7D%7C%C3%A9"));
    assertThat(UpstreamUri.of(URI.create("http://svc:1/base/"), "/a b", "q"))
        .hasValue(URI.create("http://svc:1/base/a%20b?q"));
  }

  @Test
  void refuses_a_malformed_percent_encoding() {
    assertThat(UpstreamUri.of(BOOKING, "/events/%zz", null)).isEmpty();
    assertThat(UpstreamUri.of(BOOKING, "/events", "x=%4")).isEmpty();
  }
}
