package io.guichet.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The address a request is forwarded to: the service's base, then the path and query as the client
 * sent them, with the characters RFC 3986 does not allow raw ({@code [}, {@code ]}, a space, {@code
 * |}...) percent-encoded, which means the same to the service and which {@link URI} accepts. A
 * malformed percent-encoding has no meaning to pass on: it is empty here, and the caller answers
 * 400.
 */
final class UpstreamUri {

  private UpstreamUri() {}

  private static final String PATH_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/";
  private static final String QUERY_CHARS = PATH_CHARS + "?";

  static Optional<URI> of(URI base, String rawPath, String rawQuery) {
    String path = encoded(rawPath, PATH_CHARS);
    String query = rawQuery == null ? null : encoded(rawQuery, QUERY_CHARS);
    if (path == null || (rawQuery != null && query == null)) {
      return Optional.empty();
    }
    String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    return Optional.of(
        URI.create(
            base.getScheme()
                + "://"
                + base.getRawAuthority()
                + basePath
                + path
                + (query == null ? "" : "?" + query)));
  }

  /** The text with what is not allowed raw percent-encoded, or null if a '%' starts no escape. */
  static String encoded(String raw, String allowed) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length() || !hex(raw.charAt(i + 1)) || !hex(raw.charAt(i + 2))) {
          return null;
        }
        out.append(raw, i, i + 3);
        i += 2;
      } else if (allowed.indexOf(c) >= 0) {
        out.append(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
        for (byte b : raw.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)));
          out.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
        i = end - 1;
      }
    }
    return out.toString();
  }

  private static boolean hex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
