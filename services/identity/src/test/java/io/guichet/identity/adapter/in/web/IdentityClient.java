package io.guichet.identity.adapter.in.web;

import io.guichet.identity.domain.Base32;
import io.guichet.identity.domain.Totp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** identity's API over real HTTP, as a client would call it. */
final class IdentityClient {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String base;

  IdentityClient(String base) {
    this.base = base;
  }

  HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> put(String path, String body, String token) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> register(String email, String password) {
    return post("/accounts", json("email", email, "password", password));
  }

  HttpResponse<String> login(String email, String password, String code) {
    return post(
        "/auth/login",
        code == null
            ? json("email", email, "password", password)
            : json("email", email, "password", password, "code", code));
  }

  HttpResponse<String> refresh(String cookie) {
    return post("/auth/refresh", "", "Cookie", "guichet_refresh=" + cookie);
  }

  /** The refresh cookie's value set by a response. */
  static String refreshCookie(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(cookie -> cookie.startsWith("guichet_refresh="))
        .map(cookie -> cookie.substring("guichet_refresh=".length(), cookie.indexOf(';')))
        .findFirst()
        .orElseThrow();
  }

  static String accessToken(HttpResponse<String> response) {
    return read(response).get("accessToken").asString();
  }

  static JsonNode read(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  static String json(String... fields) {
    var object = JSON.createObjectNode();
    for (int i = 0; i < fields.length; i += 2) {
      object.put(fields[i], fields[i + 1]);
    }
    return object.toString();
  }

  /** The TOTP secret of an {@code otpauth://} URI (its Base32 {@code secret} parameter). */
  static byte[] secretOf(String otpauthUri) {
    return Base32.decode(otpauthUri.replaceAll(".*[?&]secret=([A-Z2-7]+).*", "$1"));
  }

  static String code(byte[] secret, java.time.Instant at, int stepsAhead) {
    return Totp.code(secret, Totp.step(at) + stepsAhead);
  }

  /** A JWT's header or claims, decoded. */
  static JsonNode part(String jwt, int index) {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
  }
}
