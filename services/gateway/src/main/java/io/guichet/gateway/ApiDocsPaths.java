package io.guichet.gateway;

/** The gateway's own paths for the API's document and its viewer. */
final class ApiDocsPaths {

  private ApiDocsPaths() {}

  static boolean owns(String path) {
    return path.equals("/openapi.json") || viewer(path);
  }

  /** Swagger UI: {@code /docs} redirects to its page, which reads its settings. */
  static boolean viewer(String path) {
    return path.equals("/docs")
        || path.startsWith("/swagger-ui/")
        || path.startsWith("/webjars/swagger-ui/")
        || path.equals("/v3/api-docs/swagger-config");
  }
}
