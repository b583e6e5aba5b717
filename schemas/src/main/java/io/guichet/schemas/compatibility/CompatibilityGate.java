package io.guichet.schemas.compatibility;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * The build's compatibility gate. {@code check} fails when a schema breaks any recorded version
 * (BACKWARD_TRANSITIVE: consumers on the new schema read every record ever written) or when a
 * recorded schema disappears; {@code record} keeps each changed schema as its next version.
 */
public final class CompatibilityGate {

  public static final CompatibilityLevel LEVEL = CompatibilityLevel.BACKWARD_TRANSITIVE;

  /** What the gate found: failures break the build, notes are printed. */
  public record Report(List<String> failures, List<String> notes) {
    public boolean passed() {
      return failures.isEmpty();
    }
  }

  private final Path sources;
  private final SchemaHistory history;

  public CompatibilityGate(Path sources, Path history) {
    this.sources = sources;
    this.history = new SchemaHistory(history);
  }

  /** Checks every current schema against every recorded version of it. */
  public Report check() {
    List<String> failures = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Schema> current = AvscFiles.under(sources);
    for (Schema schema : current) {
      List<Schema> versions = history.versions(schema.getFullName());
      if (versions.isEmpty()) {
        notes.add(schema.getFullName() + " is new; record it before its first release.");
        continue;
      }
      CompatibilityChecker.check(schema, versions, LEVEL).stream()
          .map(problem -> "incompatible change: " + problem.describe())
          .forEach(failures::add);
      if (!isLatest(schema, versions)) {
        notes.add(
            "%s changed since v%d; record it as v%d before it is released."
                .formatted(schema.getFullName(), versions.size(), versions.size() + 1));
      }
    }
    Set<String> names = current.stream().map(Schema::getFullName).collect(Collectors.toSet());
    history.recordedNames().stream()
        .filter(name -> !names.contains(name))
        .map(
            name ->
                "schema removed: "
                    + name
                    + " has recorded versions but no .avsc; consumers still read it.")
        .forEach(failures::add);
    return new Report(failures, notes);
  }

  /** Keeps every changed, compatible schema as its next version; returns what was written. */
  public List<Path> record() {
    Report report = check();
    if (!report.passed()) {
      throw new IllegalStateException(String.join("\n", report.failures()));
    }
    List<Path> written = new ArrayList<>();
    for (Schema schema : AvscFiles.under(sources)) {
      List<Schema> versions = history.versions(schema.getFullName());
      if (versions.isEmpty() || !isLatest(schema, versions)) {
        written.add(history.record(schema));
      }
    }
    return written;
  }

  private static boolean isLatest(Schema schema, List<Schema> versions) {
    return versions.get(versions.size() - 1).toString().equals(schema.toString());
  }

  public static void main(String[] args) {
    if (args.length != 3 || !Set.of("check", "record").contains(args[0])) {
      throw new IllegalArgumentException(
          "usage: CompatibilityGate check|record <avro sources> <history>");
    }
    CompatibilityGate gate = new CompatibilityGate(Path.of(args[1]), Path.of(args[2]));
    if (args[0].equals("record")) {
      gate.record().forEach(file -> System.out.println("[schemas] recorded " + file));
      return;
    }
    Report report = gate.check();
    report.notes().forEach(note -> System.out.println("[schemas] note: " + note));
    if (!report.passed()) {
      report.failures().forEach(failure -> System.err.println("[schemas] " + failure));
      throw new IllegalStateException(
          "Schema compatibility gate ("
              + LEVEL
              + ") failed:\n"
              + String.join("\n", report.failures()));
    }
    System.out.println("[schemas] compatibility gate passed (" + LEVEL + ")");
  }
}
