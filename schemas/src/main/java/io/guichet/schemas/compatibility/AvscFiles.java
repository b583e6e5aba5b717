package io.guichet.schemas.compatibility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Reads the .avsc files of a source tree, each a self-contained schema. */
final class AvscFiles {

  private AvscFiles() {}

  static List<Schema> under(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(file -> file.toString().endsWith(".avsc"))
          .sorted()
          .map(AvscFiles::parse)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SchemaParseException e) {
      throw new IllegalArgumentException(
          file + " is not a valid Avro schema: " + e.getMessage(), e);
    }
  }
}
