package io.guichet.platform.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A registry client over the published Confluent REST API, so it works against Guichet's embedded
 * registry and any Confluent-compatible one. Lookups are cached (ids and schemas never change once
 * registered); transient failures are retried a bounded number of times, trying each URL in turn.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUrls;
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  /**
   * @param urls one or more base URLs, comma-separated, e.g. {@code http://localhost:8081}
   * @param maxAttempts tries per request before giving up (at least 1)
   * @param backoff wait before the second try; doubled at each further try
   * @param requestTimeout time allowed for one HTTP exchange
   */
  public HttpSchemaRegistryClient(
      String urls, int maxAttempts, Duration backoff, Duration requestTimeout) {
    this.baseUrls = parseUrls(urls);
    this.maxAttempts = Math.max(1, maxAttempts);
    this.backoff = backoff;
    this.requestTimeout = requestTimeout;
    this.http = SHARED.computeIfAbsent(requestTimeout, HttpSchemaRegistryClient::httpClient);
  }

  /**
   * One JDK HttpClient per connect timeout for the whole JVM: every Kafka producer and consumer has
   * a serde with a registry client of its own, and each HttpClient keeps a selector thread and a
   * pool of workers (the standalone had 27 of them, 62 threads doing nothing).
   */
  private static final Map<Duration, HttpClient> SHARED = new ConcurrentHashMap<>();

  private static HttpClient httpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .build();
  }

  /** A client with the defaults: 4 tries, 100 ms first backoff, 10 s per request. */
  public HttpSchemaRegistryClient(String urls) {
    this(urls, 4, Duration.ofMillis(100), Duration.ofSeconds(10));
  }

  @Override
  public int register(String subject, Schema schema) {
    return cachedId(subject, schema, "/versions");
  }

  @Override
  public int idOf(String subject, Schema schema) {
    return cachedId(subject, schema, "");
  }

  /**
   * Both calls answer with the schema's id; ids never change once given, so they are cached. The
   * path (after the subject's) is only built on a miss: a serializer asks once per record.
   */
  private int cachedId(String subject, Schema schema, String pathAfterSubject) {
    Map<Schema, Integer> known =
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = known.get(schema);
    if (cached != null) {
      return cached;
    }
    String path = "/subjects/" + encode(subject) + pathAfterSubject;
    int id = send("POST", path, body(schema)).path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(
          "registry answered without an id for subject " + subject, 200, 0, null);
    }
    known.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("GET", "/schemas/ids/" + id, null);
    String type = answer.path("schemaType").asString("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(
          "schema " + id + " is " + type + ", not AVRO", 200, 0, null);
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(answer.path("schema").asString());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          "schema " + id + " from the registry is not valid Avro", 200, 0, e);
    }
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  private JsonNode send(String method, String path, String body) {
    SchemaRegistryException last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      URI base = baseUrls.get((attempt - 1) % baseUrls.size());
      try {
        return exchange(base, method, path, body);
      } catch (SchemaRegistryException e) {
        if (!e.isTransient()) {
          throw e;
        }
        last = e;
        if (attempt < maxAttempts) {
          LOG.warn(
              "schema registry {} {} failed (try {}/{}): {}",
              method,
              path,
              attempt,
              maxAttempts,
              e.getMessage());
          pause(backoff.multipliedBy(1L << (attempt - 1)));
        }
      }
    }
    throw new SchemaRegistryException(
        "schema registry "
            + method
            + " "
            + path
            + " failed after "
            + maxAttempts
            + " tries: "
            + last.getMessage(),
        last.status(),
        last.errorCode(),
        last);
  }

  private JsonNode exchange(URI base, String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(base.getPath() + path))
            .timeout(requestTimeout)
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "cannot reach schema registry at " + base + ": " + e, 0, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while calling the schema registry", 0, 0, e);
    }
    JsonNode json = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      int errorCode = json.path("error_code").asInt(response.statusCode());
      String message = json.path("message").asString(response.body());
      throw new SchemaRegistryException(
          "schema registry "
              + method
              + " "
              + path
              + " answered "
              + response.statusCode()
              + " (error code "
              + errorCode
              + "): "
              + message,
          response.statusCode(),
          errorCode,
          null);
    }
    return json;
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JacksonException notJson) {
      return JSON.createObjectNode();
    }
  }

  private static String body(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static List<URI> parseUrls(String urls) {
    if (urls == null || urls.isBlank()) {
      throw new IllegalArgumentException("schema.registry.url is not set");
    }
    return java.util.Arrays.stream(urls.split(","))
        .map(String::trim)
        .filter(url -> !url.isEmpty())
        .map(url -> URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url))
        .toList();
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "interrupted while waiting to retry the schema registry", 0, 0, e);
    }
  }
}
