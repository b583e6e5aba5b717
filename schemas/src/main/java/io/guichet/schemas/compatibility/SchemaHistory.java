package io.guichet.schemas.compatibility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The released versions of every schema, kept in the repository as {@code
 * <history>/<full.record.Name>/v<N>.avsc}. Nothing here is ever edited: a change adds a version.
 */
public final class SchemaHistory {

  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

  private final Path root;

  public SchemaHistory(Path root) {
    this.root = root;
  }

  /** The full names of every schema that has at least one recorded version. */
  public List<String> recordedNames() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory)
          .map(dir -> dir.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The recorded versions of a schema, oldest first. */
  public List<Schema> versions(String fullName) {
    Path dir = root.resolve(fullName);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(dir)) {
      listing
          .filter(file -> VERSION_FILE.matcher(file.getFileName().toString()).matches())
          .forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(Comparator.comparingInt(SchemaHistory::versionOf));
    for (int i = 0; i < files.size(); i++) {
      if (versionOf(files.get(i)) != i + 1) {
        throw new IllegalStateException(
            "history of "
                + fullName
                + " has a gap: expected v"
                + (i + 1)
                + ".avsc, found "
                + files.get(i).getFileName());
      }
    }
    return files.stream().map(AvscFiles::parse).toList();
  }

  /** Keeps a schema as its next version and returns the file written. */
  public Path record(Schema schema) {
    int next = versions(schema.getFullName()).size() + 1;
    Path file = root.resolve(schema.getFullName()).resolve("v" + next + ".avsc");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, schema.toString(true) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static int versionOf(Path file) {
    Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(file + " is not a version file");
    }
    return Integer.parseInt(matcher.group(1));
  }
}
