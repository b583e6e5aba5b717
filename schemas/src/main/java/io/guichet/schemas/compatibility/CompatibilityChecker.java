package io.guichet.schemas.compatibility;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Decides whether a new version of a schema may follow the earlier ones, by Avro's own
 * reader/writer resolution rules, and names the fields that break.
 */
public final class CompatibilityChecker {

  private CompatibilityChecker() {}

  /**
   * Checks a candidate against earlier versions under a level.
   *
   * @param candidate the new schema
   * @param earlierOldestFirst every earlier version, oldest first
   * @param level the rule to apply
   * @return every incompatibility found; empty when the candidate is compatible
   */
  public static List<Incompatibility> check(
      Schema candidate, List<Schema> earlierOldestFirst, CompatibilityLevel level) {
    List<Schema> against = level.versionsToCheck(earlierOldestFirst);
    int firstVersion = earlierOldestFirst.size() - against.size() + 1;
    List<Incompatibility> found = new ArrayList<>();
    for (int i = 0; i < against.size(); i++) {
      Schema earlier = against.get(i);
      int version = firstVersion + i;
      if (level.newReadsOld()) {
        found.addAll(problems(candidate, earlier, candidate, version, "new reads old"));
      }
      if (level.oldReadsNew()) {
        found.addAll(problems(earlier, candidate, candidate, version, "old reads new"));
      }
    }
    return found;
  }

  private static List<Incompatibility> problems(
      Schema reader, Schema writer, Schema candidate, int version, String direction) {
    SchemaCompatibility.SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    return pair.getResult().getIncompatibilities().stream()
        .map(
            problem ->
                new Incompatibility(
                    candidate.getFullName(),
                    version,
                    direction,
                    FieldPaths.describe(reader, problem.getLocation()),
                    problem.getType().name(),
                    problem.getMessage()))
        .toList();
  }
}
