package io.guichet.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentSecretsTest {

  @TempDir Path dir;

  @Test
  void generates_a_secret_once_and_finds_it_again_after_a_restart() throws Exception {
    Path file = dir.resolve("secrets.properties");
    String first = new DevelopmentSecrets(file).get("webhook-signing");

    assertThat(first).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(new DevelopmentSecrets(file).get("webhook-signing")).isEqualTo(first);
    assertThat(new DevelopmentSecrets(file).get("another")).isNotEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
