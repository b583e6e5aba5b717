package io.guichet.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The outbox table's DDL, for services and tests that create their tables themselves. */
public final class OutboxSchema {

  private OutboxSchema() {}

  /** The {@code CREATE TABLE IF NOT EXISTS} statement of the outbox. */
  public static String ddl() {
    try (InputStream in = OutboxSchema.class.getResourceAsStream("outbox-schema.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
