package io.guichet.registry.domain;

import io.guichet.schemas.compatibility.CompatibilityChecker;
import io.guichet.schemas.compatibility.CompatibilityLevel;
import io.guichet.schemas.compatibility.Incompatibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Every subject, version, id and compatibility setting, as rebuilt from the schema log. It decides
 * registrations by the Confluent registry's rules; the caller logs a new version before applying
 * it, and serializes writes.
 */
public final class SchemaRegistryState {

  private final CompatibilityLevel defaultLevel;
  private final Map<String, List<SchemaVersion>> subjects = new TreeMap<>();
  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;

  /**
   * @param defaultLevel the global level until one is set through the API
   */
  public SchemaRegistryState(CompatibilityLevel defaultLevel) {
    this.defaultLevel = defaultLevel;
    this.globalLevel = defaultLevel;
  }

  /** Applies one logged record; replaying the same record twice changes nothing. */
  public synchronized void apply(SchemaLogRecord record) {
    if (record instanceof SchemaLogRecord.SchemaRegistered registered) {
      SchemaVersion version = registered.version();
      List<SchemaVersion> versions =
          subjects.computeIfAbsent(version.subject(), s -> new ArrayList<>());
      if (versions.stream().noneMatch(known -> known.version() == version.version())) {
        versions.add(version);
        versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
      }
      schemasById.putIfAbsent(version.id(), version.schema());
      idsBySchema.putIfAbsent(version.schema(), version.id());
      maxId = Math.max(maxId, version.id());
    } else if (record instanceof SchemaLogRecord.CompatibilitySet set) {
      if (set.subject() == null) {
        globalLevel = set.level() == null ? defaultLevel : set.level();
      } else if (set.level() == null) {
        subjectLevels.remove(set.subject());
      } else {
        subjectLevels.put(set.subject(), set.level());
      }
    }
  }

  /**
   * Decides a registration: the existing version when the subject already has this schema, else a
   * new version (reusing the schema's global id if another subject has it), or a 409 when the
   * schema breaks the subject's compatibility level.
   */
  public synchronized Registration register(String subject, Schema schema) {
    String canonical = schema.toString();
    List<SchemaVersion> versions = subjects.getOrDefault(subject, List.of());
    Optional<SchemaVersion> existing =
        versions.stream().filter(v -> v.schema().equals(canonical)).findFirst();
    if (existing.isPresent()) {
      return new Registration.AlreadyRegistered(existing.get());
    }
    List<Incompatibility> problems = check(schema, versions, effectiveLevel(subject));
    if (!problems.isEmpty()) {
      throw RegistryError.incompatible(subject, describe(problems));
    }
    int id = idsBySchema.getOrDefault(canonical, maxId + 1);
    int next = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    return new Registration.NewVersion(new SchemaVersion(subject, next, id, canonical));
  }

  /** The version of a subject that has exactly this schema (404 40401 or 40403 otherwise). */
  public synchronized SchemaVersion lookUp(String subject, Schema schema) {
    String canonical = schema.toString();
    return versionsOf(subject).stream()
        .filter(version -> version.schema().equals(canonical))
        .findFirst()
        .orElseThrow(RegistryError::schemaNotFound);
  }

  /**
   * Incompatibilities of a candidate against one version of a subject, or all of them when null.
   */
  public synchronized List<Incompatibility> compatibility(
      String subject, Integer version, Schema candidate) {
    List<SchemaVersion> versions = versionsOf(subject);
    CompatibilityLevel level = effectiveLevel(subject);
    if (version == null) {
      return check(candidate, versions, level);
    }
    return check(candidate, List.of(version(subject, version)), level);
  }

  public synchronized List<String> subjects() {
    return subjects.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The versions of a subject, oldest first (404 40401 when unknown). */
  public synchronized List<SchemaVersion> versionsOf(String subject) {
    List<SchemaVersion> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    return List.copyOf(versions);
  }

  /** One version of a subject; -1 means the latest. */
  public synchronized SchemaVersion version(String subject, int version) {
    List<SchemaVersion> versions = versionsOf(subject);
    if (version == -1) {
      return versions.get(versions.size() - 1);
    }
    return versions.stream()
        .filter(candidate -> candidate.version() == version)
        .findFirst()
        .orElseThrow(() -> RegistryError.versionNotFound(version));
  }

  public synchronized String schemaById(int id) {
    String schema = schemasById.get(id);
    if (schema == null) {
      throw RegistryError.schemaNotFound(id);
    }
    return schema;
  }

  /** Every subject and version that uses a schema id. */
  public synchronized List<SchemaVersion> usesOf(int id) {
    schemaById(id);
    return subjects.values().stream()
        .flatMap(List::stream)
        .filter(version -> version.id() == id)
        .toList();
  }

  public synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  public synchronized CompatibilityLevel effectiveLevel(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private static List<Incompatibility> check(
      Schema candidate, List<SchemaVersion> versions, CompatibilityLevel level) {
    List<Schema> earlier =
        versions.stream().map(version -> Schemas.parse(version.schema())).toList();
    return CompatibilityChecker.check(candidate, earlier, level);
  }

  private static String describe(List<Incompatibility> problems) {
    return problems.stream()
        .map(Incompatibility::describe)
        .collect(Collectors.joining("; ", "[", "]"));
  }
}
