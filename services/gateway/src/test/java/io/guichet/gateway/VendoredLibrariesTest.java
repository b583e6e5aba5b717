package io.guichet.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The browser libraries the pages serve are the npm releases {@code infra/pages/vendor.sh} copied,
 * byte for byte: each file's SHA-256 is the one it wrote into {@code vendor/SHA256SUMS}, and each
 * comes with its licence.
 */
class VendoredLibrariesTest {

  private static final String VENDOR = "/io/guichet/gateway/pages/vendor/";

  @Test
  void each_vendored_library_is_the_copied_release_with_its_licence() throws Exception {
    List<String> sums;
    try (InputStream in = VendoredLibrariesTest.class.getResourceAsStream(VENDOR + "SHA256SUMS")) {
      sums =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(line -> !line.startsWith("#") && !line.isBlank())
              .toList();
    }
    assertThat(sums).hasSize(3);
    for (String line : sums) {
      String[] parts = line.split("\\s+");
      String file = parts[1];
      try (InputStream in = VendoredLibrariesTest.class.getResourceAsStream(VENDOR + file)) {
        assertThat(in).as(file).isNotNull();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
        assertThat(HexFormat.of().formatHex(digest)).as(file).isEqualTo(parts[0]);
      }
      String licence = file.replace(".js", ".LICENSE");
      assertThat(VendoredLibrariesTest.class.getResource(VENDOR + licence)).as(licence).isNotNull();
    }
  }
}
