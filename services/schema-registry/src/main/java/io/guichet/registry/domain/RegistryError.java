package io.guichet.registry.domain;

import io.guichet.schemas.compatibility.CompatibilityLevel;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A refusal with the Confluent Schema Registry's error code and message, e.g. 40401 "Subject 'x'
 * not found." The HTTP status is the code's first three digits.
 */
public final class RegistryError extends RuntimeException {

  private final int errorCode;

  public RegistryError(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  public int errorCode() {
    return errorCode;
  }

  /** 40401 gives 404, 409 gives 409. */
  public int httpStatus() {
    return errorCode >= 1000 ? errorCode / 100 : errorCode;
  }

  public static RegistryError subjectNotFound(String subject) {
    return new RegistryError(40401, "Subject '" + subject + "' not found.");
  }

  public static RegistryError versionNotFound(int version) {
    return new RegistryError(40402, "Version " + version + " not found.");
  }

  public static RegistryError schemaNotFound() {
    return new RegistryError(40403, "Schema not found");
  }

  public static RegistryError schemaNotFound(int id) {
    return new RegistryError(40403, "Schema " + id + " not found");
  }

  public static RegistryError subjectCompatibilityNotConfigured(String subject) {
    return new RegistryError(
        40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  public static RegistryError incompatible(String subject, String details) {
    return new RegistryError(
        409,
        "Schema being registered is incompatible with an earlier schema for subject \""
            + subject
            + "\", details: "
            + details);
  }

  public static RegistryError invalidSchema(String why) {
    return new RegistryError(42201, "Invalid schema: " + why);
  }

  public static RegistryError invalidVersion(String version) {
    return new RegistryError(
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  public static RegistryError invalidCompatibilityLevel(String level) {
    String valid =
        Arrays.stream(CompatibilityLevel.values())
            .map(value -> value.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
    return new RegistryError(
        42203, "Invalid compatibility level '" + level + "'. Valid values are " + valid);
  }
}
