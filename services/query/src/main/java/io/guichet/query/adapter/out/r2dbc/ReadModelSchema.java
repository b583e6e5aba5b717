package io.guichet.query.adapter.out.r2dbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The read models' tables ({@code read-models.sql}), created in a named schema: {@link #SERVING}
 * answers queries; a rebuild fills {@link #REBUILDING} and then renames it to {@link #SERVING}.
 */
public final class ReadModelSchema {

  /** The schema the API reads and the live projection writes. */
  public static final String SERVING = "read_model";

  /** The schema a rebuild fills. */
  public static final String REBUILDING = "read_model_rebuild";

  /** Where the serving schema goes when a rebuilt one replaces it, until it is dropped. */
  public static final String RETIRED = "read_model_retired";

  private static final String TEMPLATE = "/io/guichet/query/read-models.sql";

  private final List<String> statements;

  public ReadModelSchema() {
    try (InputStream in = ReadModelSchema.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(TEMPLATE + " is not on the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      statements =
          Arrays.stream(text.split("(?m)^;;\\s*$"))
              .map(ReadModelSchema::withoutComments)
              .filter(statement -> !statement.isBlank())
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String withoutComments(String statement) {
    return Arrays.stream(statement.split("\n"))
        .filter(line -> !line.stripLeading().startsWith("--"))
        .reduce("", (a, b) -> a + b + "\n")
        .strip();
  }

  /** Creates the schema and its tables if absent. */
  public Mono<Void> create(DatabaseClient database, String schema) {
    return Flux.fromIterable(statements)
        .concatMap(
            statement -> database.sql(statement.replace("{schema}", schema)).fetch().rowsUpdated())
        .then();
  }
}
