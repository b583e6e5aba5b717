package io.guichet.bench;

import io.guichet.identity.IdentityService;
import io.guichet.platform.standalone.DevelopmentSecrets;
import io.guichet.platform.standalone.RunningService;
import io.guichet.stack.EmbeddedStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Whether a login's answer time tells an unknown email, a wrong password and a locked account
 * apart: identity as the standalone starts it, one account with a wrong password tried, one locked
 * (five failures), and unknown emails; the three kinds interleaved at random, one at a time, after
 * a warm-up; the median and percentiles of each, their ratio to the wrong password's, and whether
 * the answers (status and body) were the same.
 */
final class LoginTimingBench {

  /** The three failures that must look alike. */
  enum Kind {
    WRONG_PASSWORD,
    UNKNOWN_EMAIL,
    LOCKED_ACCOUNT
  }

  private static final String PASSWORD = "correct horse battery staple 42";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final EmbeddedStack stack;
  private final Path dir;
  private final int attempts;
  private int failuresInARow;

  LoginTimingBench(EmbeddedStack stack, Path dir, int attempts) {
    this.stack = stack;
    this.dir = dir;
    this.attempts = attempts;
  }

  String run() throws Exception {
    try (RunningService identity =
        new IdentityService()
            .start(
                stack.environment(
                    dir.resolve("identity"),
                    new DevelopmentSecrets(dir.resolve("secrets.properties")),
                    0))) {
      String base = identity.address().split("\\s+", 2)[0];
      register(base, "known@bench.example");
      register(base, "locked@bench.example");
      for (int i = 0; i < 5; i++) {
        login(base, "locked@bench.example", "not the password " + i);
      }
      Random random = new Random(42);
      List<Kind> order = new ArrayList<>();
      for (Kind kind : Kind.values()) {
        order.addAll(Collections.nCopies(attempts, kind));
      }
      // Warm-up: the same mix, not counted (JIT, connection pools).
      Collections.shuffle(order, random);
      for (Kind kind : order.subList(0, Math.min(order.size(), 60))) {
        clearFailuresIfNeeded(base, kind);
        attempt(base, kind, random);
      }
      Collections.shuffle(order, random);
      Map<Kind, List<Long>> micros = new EnumMap<>(Kind.class);
      Set<String> answers = new HashSet<>();
      for (Kind kind : order) {
        clearFailuresIfNeeded(base, kind);
        long started = System.nanoTime();
        HttpResponse<String> answer = attempt(base, kind, random);
        micros
            .computeIfAbsent(kind, k -> new ArrayList<>())
            .add((System.nanoTime() - started) / 1000);
        answers.add(answer.statusCode() + " " + answer.body());
      }
      return report(micros, answers);
    }
  }

  /**
   * The fifth wrong password in a row would lock the known account: before it, a right one (not
   * measured) clears the count, so every measured wrong password is one on an unlocked account.
   */
  private void clearFailuresIfNeeded(String base, Kind kind) throws Exception {
    if (kind == Kind.WRONG_PASSWORD && failuresInARow == 4) {
      if (login(base, "known@bench.example", PASSWORD).statusCode() != 200) {
        throw new IllegalStateException("the known account's right password was refused");
      }
      failuresInARow = 0;
    }
  }

  private HttpResponse<String> attempt(String base, Kind kind, Random random) throws Exception {
    switch (kind) {
      case WRONG_PASSWORD:
        failuresInARow++;
        return login(base, "known@bench.example", "wrong password " + random.nextInt());
      case UNKNOWN_EMAIL:
        return login(base, "nobody-" + random.nextInt(1_000_000) + "@bench.example", PASSWORD);
      default:
        // Each failure while locked doubles the lock (up to 15 min): it stays locked throughout.
        return login(base, "locked@bench.example", "still not the password " + random.nextInt());
    }
  }

  private String report(Map<Kind, List<Long>> micros, Set<String> answers) {
    StringBuilder text = new StringBuilder();
    text.append(
        "login timing: %d attempts of each kind, interleaved at random, one at a time%n"
            .formatted(attempts));
    double reference = percentile(micros.get(Kind.WRONG_PASSWORD), 50);
    for (Kind kind : Kind.values()) {
      List<Long> times = micros.get(kind);
      double median = percentile(times, 50);
      text.append(
          "  %-15s p10 %6.1f ms  median %6.1f ms  p90 %6.1f ms  median/wrong-password %.3f%n"
              .formatted(
                  kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                  percentile(times, 10) / 1000,
                  median / 1000,
                  percentile(times, 90) / 1000,
                  median / reference));
    }
    text.append("  distinct answers (status and body): %d%n".formatted(answers.size()));
    answers.forEach(
        answer ->
            text.append("    ").append(answer, 0, Math.min(answer.length(), 300)).append('\n'));
    return text.toString();
  }

  private static double percentile(List<Long> values, int percent) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
  }

  private static void register(String base, String email) throws Exception {
    HttpResponse<String> created =
        post(base + "/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
    if (created.statusCode() != 201) {
      throw new IllegalStateException("could not register " + email + ": " + created.body());
    }
  }

  private static HttpResponse<String> login(String base, String email, String password)
      throws Exception {
    return post(
        base + "/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
