package io.guichet.testsupport;

import java.net.URI;
import java.net.http.HttpRequest;

/** Requests to Guichet's HTTP APIs as the tests send them: a JSON body and a bearer token. */
public final class ApiRequests {

  private ApiRequests() {}

  /**
   * @param token the access token, or null for none
   * @param body the JSON body, or null for none
   */
  public static HttpRequest.Builder of(String url, String method, String token, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    return request;
  }
}
