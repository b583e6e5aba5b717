package io.guichet.platform.registry;

/**
 * The registry refused a request or could not be reached.
 *
 * <p>{@link #status()} is the HTTP status (0 when the registry was unreachable) and {@link
 * #errorCode()} Confluent's error code, e.g. 40403 for an unknown schema id.
 */
public class SchemaRegistryException extends RuntimeException {

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }

  /** True for failures worth another try: unreachable, overloaded or failing server. */
  public boolean isTransient() {
    return status == 0 || status == 429 || status >= 500;
  }
}
