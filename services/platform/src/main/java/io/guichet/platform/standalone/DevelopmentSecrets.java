package io.guichet.platform.standalone;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Secrets for the standalone mode: each one is generated at random on first use and kept in a file
 * of the data directory (owner-only), so a restart finds the same keys and nothing secret is ever
 * in the repository. Deployments take their secrets from configuration instead.
 */
public final class DevelopmentSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final Properties values = new Properties();

  public DevelopmentSecrets(Path file) {
    this.file = file;
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file)) {
        values.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read development secrets " + file, e);
      }
    }
  }

  /** The secret with this name: 32 random bytes, URL-safe Base64, the same at every start. */
  public synchronized String get(String name) {
    String value = values.getProperty(name);
    if (value == null) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      values.setProperty(name, value);
      save();
    }
    return value;
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
      }
      try (Writer writer = Files.newBufferedWriter(file)) {
        values.store(writer, "Guichet standalone development secrets; generated, never commit");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write development secrets " + file, e);
    }
  }
}
