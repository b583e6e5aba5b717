package io.guichet.registry.application;

import io.guichet.registry.domain.Registration;
import io.guichet.registry.domain.RegistryError;
import io.guichet.registry.domain.SchemaLogRecord;
import io.guichet.registry.domain.SchemaRegistryState;
import io.guichet.registry.domain.SchemaVersion;
import io.guichet.registry.domain.Schemas;
import io.guichet.schemas.compatibility.CompatibilityLevel;
import io.guichet.schemas.compatibility.Incompatibility;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The registry's use cases. Every write runs on one writer thread, in arrival order, and is logged
 * before it is applied, so ids are unique and a restarted registry rebuilds exactly what it
 * answered. Writes return futures: callers (the web layer) never block on the log. One instance
 * writes; run a single registry per log (the standalone mode does).
 */
public final class SchemaRegistryService implements AutoCloseable {

  private final SchemaRegistryState state;
  private final SchemaLog log;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "schema-registry-writer");
            thread.setDaemon(true);
            return thread;
          });

  public SchemaRegistryService(SchemaRegistryState state, SchemaLog log) {
    this.state = state;
    this.log = log;
  }

  /** Rebuilds the state from the log; call once before serving. */
  public void recover() {
    log.replay(state::apply);
  }

  /** Registers a schema under a subject; completes with its version (existing or new). */
  public CompletableFuture<SchemaVersion> register(
      String subject, String schemaText, String schemaType) {
    requireAvro(schemaType);
    var schema = Schemas.parse(schemaText);
    return write(
        () -> {
          Registration registration = state.register(subject, schema);
          if (registration instanceof Registration.NewVersion created) {
            logThenApply(new SchemaLogRecord.SchemaRegistered(created.version()));
          }
          return registration.version();
        });
  }

  public SchemaVersion lookUp(String subject, String schemaText, String schemaType) {
    requireAvro(schemaType);
    return state.lookUp(subject, Schemas.parse(schemaText));
  }

  /** Incompatibilities against one version (or every version the level asks for, when null). */
  public List<Incompatibility> compatibility(
      String subject, Integer version, String schemaText, String schemaType) {
    requireAvro(schemaType);
    var candidate = Schemas.parse(schemaText);
    return state.compatibility(subject, version, candidate);
  }

  public List<String> subjects() {
    return state.subjects();
  }

  public List<Integer> versions(String subject) {
    return state.versionsOf(subject).stream().map(SchemaVersion::version).toList();
  }

  public SchemaVersion version(String subject, int version) {
    return state.version(subject, version);
  }

  public String schemaById(int id) {
    return state.schemaById(id);
  }

  public List<SchemaVersion> usesOf(int id) {
    return state.usesOf(id);
  }

  public CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  public Optional<CompatibilityLevel> subjectLevel(String subject) {
    return state.subjectLevel(subject);
  }

  /** Sets the global level (subject null) or a subject's level. */
  public CompletableFuture<CompatibilityLevel> setLevel(String subject, String level) {
    CompatibilityLevel parsed =
        CompatibilityLevel.parse(level)
            .orElseThrow(() -> RegistryError.invalidCompatibilityLevel(level));
    return write(
        () -> {
          logThenApply(new SchemaLogRecord.CompatibilitySet(subject, parsed));
          return parsed;
        });
  }

  /** Removes a subject's own level (it then follows the global one); completes with that level. */
  public CompletableFuture<CompatibilityLevel> clearLevel(String subject) {
    return write(
        () -> {
          CompatibilityLevel previous =
              state
                  .subjectLevel(subject)
                  .orElseThrow(() -> RegistryError.subjectCompatibilityNotConfigured(subject));
          logThenApply(new SchemaLogRecord.CompatibilitySet(subject, null));
          return previous;
        });
  }

  /** Stops taking writes; those already queued are finished first. */
  @Override
  public void close() {
    writer.shutdown();
  }

  private <T> CompletableFuture<T> write(Supplier<T> change) {
    return CompletableFuture.supplyAsync(change, writer);
  }

  private void logThenApply(SchemaLogRecord record) {
    log.append(record);
    state.apply(record);
  }

  private static void requireAvro(String schemaType) {
    if (schemaType != null && !schemaType.equalsIgnoreCase("AVRO")) {
      throw RegistryError.invalidSchema(
          "schema type " + schemaType + " is not supported; this registry stores AVRO");
    }
  }
}
