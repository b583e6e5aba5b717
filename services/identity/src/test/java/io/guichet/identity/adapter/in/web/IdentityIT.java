package io.guichet.identity.adapter.in.web;

import static io.guichet.identity.adapter.in.web.IdentityClient.accessToken;
import static io.guichet.identity.adapter.in.web.IdentityClient.code;
import static io.guichet.identity.adapter.in.web.IdentityClient.json;
import static io.guichet.identity.adapter.in.web.IdentityClient.read;
import static io.guichet.identity.adapter.in.web.IdentityClient.refreshCookie;
import static io.guichet.identity.adapter.in.web.IdentityClient.secretOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.guichet.events.identity.AccountRegistered;
import io.guichet.identity.IdentityApplication;
import io.guichet.platform.access.AccessTokens;
import io.guichet.platform.access.Role;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.QrReader;
import io.guichet.testsupport.TestInfrastructure;
import io.guichet.testsupport.TestTokens;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * identity over real HTTP, PostgreSQL and Kafka: accounts, logins, refresh-token families, second
 * factors, throttling, refused tokens and a service that starts after a key rotation.
 */
class IdentityIT {

  private static final TestInfrastructure INFRA = TestInfrastructure.get();
  private static final String DATABASE = "identity_it";
  private static final String MASTER_KEY = randomKey();
  private static final String ADMIN = "admin-" + unique() + "@identity-it.example.org";
  private static final String PASSWORD = "violet tractor " + UUID.randomUUID();
  private static final MovableClock CLOCK = new MovableClock();

  private static ConfigurableApplicationContext identity;
  private static IdentityClient api;
  private static String adminToken;

  @BeforeAll
  static void start() {
    INFRA.postgres().createDatabase(DATABASE);
    identity = startIdentity(true);
    api = new IdentityClient(base(identity));
    byte[] secret = enrolAndActivate(ADMIN, PASSWORD).secret();
    HttpResponse<String> login = api.login(ADMIN, PASSWORD, code(secret, CLOCK.instant(), 1));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    adminToken = accessToken(login);
  }

  private static ConfigurableApplicationContext startIdentity(boolean movableClock) {
    SpringApplication application = IdentityApplication.application();
    if (movableClock) {
      application.addInitializers(
          context -> context.getBeanFactory().registerSingleton("clock", CLOCK));
    }
    return application.run(
        "--server.port=0",
        "--server.address=127.0.0.1",
        "--spring.r2dbc.url=" + INFRA.postgres().r2dbcUrl(DATABASE),
        "--spring.r2dbc.username=",
        "--spring.r2dbc.password=",
        "--guichet.identity.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
        "--guichet.identity.schema-registry-url=" + INFRA.schemaRegistryUrl(),
        "--guichet.identity.master-key=" + MASTER_KEY,
        "--guichet.identity.admin-email=" + ADMIN,
        "--guichet.identity.admin-password=" + PASSWORD,
        "--guichet.access.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
        "--guichet.access.schema-registry-url=" + INFRA.schemaRegistryUrl());
  }

  private static String base(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    identity.close();
  }

  @AfterEach
  void clockBack() {
    CLOCK.reset();
  }

  @Test
  void a_customer_registers_logs_in_refreshes_and_logs_out() {
    String email = email();
    HttpResponse<String> registered = api.register(email, PASSWORD);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    JsonNode account = read(registered);
    String id = account.get("id").asString();
    assertThat(account.get("roles").toString()).isEqualTo("[\"CUSTOMER\"]");
    assertThat(registered.body()).doesNotContain(PASSWORD).doesNotContain("argon2");
    var published =
        INFRA.readUntil(
            Topics.ACCOUNTS.name(), record -> record.key().equals(id), found -> !found.isEmpty());
    AccountRegistered fact = (AccountRegistered) published.get(0).value();
    assertThat(fact.getEmail()).isEqualTo(email);
    assertThat(fact.toString()).doesNotContain(PASSWORD).doesNotContain("argon2");

    HttpResponse<String> login = api.login(email, PASSWORD, null);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    assertThat(read(login).get("expiresIn").asLong()).isEqualTo(900);
    assertThat(login.headers().allValues("Set-Cookie"))
        .anySatisfy(
            cookie ->
                assertThat(cookie)
                    .startsWith("guichet_refresh=")
                    .contains("HttpOnly", "Secure", "SameSite=Strict", "Path=/auth"));
    String token = accessToken(login);
    HttpResponse<String> me = api.get("/me", token);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(read(me).get("email").asString()).isEqualTo(email);
    HttpResponse<String> anonymous = api.get("/me", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(header -> assertThat(header).startsWith("Bearer"));

    String first = refreshCookie(login);
    HttpResponse<String> refreshed = api.refresh(first);
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    String second = refreshCookie(refreshed);
    assertThat(second).isNotEqualTo(first);
    assertThat(api.get("/me", accessToken(refreshed)).statusCode()).isEqualTo(200);

    // The first token again: it was stolen or replayed, so its whole family goes.
    assertThat(api.refresh(first).statusCode()).isEqualTo(401);
    assertThat(api.refresh(second).statusCode()).as("same family").isEqualTo(401);

    HttpResponse<String> again = api.login(email, PASSWORD, null);
    String third = refreshCookie(again);
    HttpResponse<String> logout =
        api.post("/auth/logout", "", "Cookie", "guichet_refresh=" + third);
    assertThat(logout.statusCode()).isEqualTo(204);
    assertThat(logout.headers().allValues("Set-Cookie"))
        .anySatisfy(cookie -> assertThat(cookie).contains("Max-Age=0"));
    assertThat(api.refresh(third).statusCode()).isEqualTo(401);

    // Sixteen minutes later the access token has expired, though its signature was verified (and
    // remembered) at its first use.
    String fresh = accessToken(api.login(email, PASSWORD, null));
    assertThat(api.get("/me", fresh).statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofMinutes(16));
    HttpResponse<String> expired = api.get("/me", fresh);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(header -> assertThat(header).contains("invalid_token"));
    CLOCK.reset();
    assertThat(api.get("/me", fresh).statusCode())
        .as("the clock made the difference")
        .isEqualTo(200);
  }

  @Test
  void tokens_identity_did_not_sign_as_they_are_are_refused() throws Exception {
    String email = email();
    api.register(email, PASSWORD);
    String token = accessToken(api.login(email, PASSWORD, null));
    assertThat(api.get("/me", token).statusCode()).isEqualTo(200);
    String[] parts = token.split("\\.");
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();

    String none =
        b64.encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[1]
            + ".";
    assertThat(api.get("/me", none).statusCode()).as("alg none").isEqualTo(401);

    ObjectNode claims = (ObjectNode) IdentityClient.part(token, 1);
    claims.putArray("roles").add("ADMIN");
    String changed =
        parts[0]
            + "."
            + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertThat(api.get("/me", changed).statusCode()).as("changed payload").isEqualTo(401);
    assertThat(api.get("/accounts", changed).statusCode()).isEqualTo(401);

    String kid = IdentityClient.part(token, 0).get("kid").asString();
    JWTClaimsSet set = SignedJWT.parse(token).getJWTClaimsSet();
    SignedJWT otherKey =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(AccessTokens.TYPE).build(),
            set);
    otherKey.sign(new ECDSASigner(AccessTokens.newSigningKey()));
    assertThat(api.get("/me", otherKey.serialize()).statusCode()).as("wrong key").isEqualTo(401);

    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    SignedJWT hmac =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(AccessTokens.TYPE).build(),
            set);
    hmac.sign(new MACSigner(secret));
    assertThat(api.get("/me", hmac.serialize()).statusCode()).as("HS256").isEqualTo(401);

    // A key published on the topic, as identity publishes: a valid token of it passes (the account
    // is unknown here: 404), a past one and one signed after the key was retired do not.
    TestTokens published = TestTokens.get();
    String stranger = "acct-" + UUID.randomUUID();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/me", published.token(stranger, Role.CUSTOMER)).statusCode() == 404);
    Instant now = Instant.now();
    String past =
        published.sign(
            stranger,
            List.of(),
            now.minus(Duration.ofMinutes(20)),
            now.minus(Duration.ofMinutes(5)),
            Role.CUSTOMER);
    assertThat(api.get("/me", past).statusCode()).as("expired").isEqualTo(401);
    TestTokens retired =
        TestTokens.publish(INFRA, now.minus(Duration.ofDays(2)), now.minus(Duration.ofMinutes(1)));
    TestTokens current = TestTokens.publish(INFRA, now.minus(Duration.ofDays(2)), null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/me", current.token(stranger, Role.CUSTOMER)).statusCode() == 404);
    assertThat(api.get("/me", retired.token(stranger, Role.CUSTOMER)).statusCode())
        .as("retired key")
        .isEqualTo(401);

    assertThat(api.get("/accounts", token).statusCode()).as("a customer").isEqualTo(403);
  }

  @Test
  void an_organizer_needs_a_second_factor_and_each_recovery_code_works_once() throws Exception {
    String email = email();
    String id = read(api.register(email, PASSWORD)).get("id").asString();
    HttpResponse<String> granted =
        api.put("/accounts/" + id + "/roles", "{\"roles\":[\"ORGANIZER\"]}", adminToken);
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);

    HttpResponse<String> noFactor = api.login(email, PASSWORD, null);
    assertThat(noFactor.statusCode()).isEqualTo(403);
    assertThat(read(noFactor).get("type").asString())
        .isEqualTo("/problems/second-factor-enrolment-required");
    assertThat(
            api.post("/auth/mfa/enrollment", json("email", email, "password", "wrong " + PASSWORD))
                .statusCode())
        .isEqualTo(401);

    Enrolment enrolment = enrolAndActivate(email, PASSWORD);
    byte[] secret = enrolment.secret();
    assertThat(enrolment.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();

    HttpResponse<String> withoutCode = api.login(email, PASSWORD, null);
    assertThat(withoutCode.statusCode()).isEqualTo(401);
    assertThat(read(withoutCode).get("type").asString())
        .isEqualTo("/problems/second-factor-required");
    assertThat(api.login(email, PASSWORD, code(secret, CLOCK.instant(), 5)).statusCode())
        .as("a code from another time")
        .isEqualTo(401);
    String code = code(secret, CLOCK.instant(), 1);
    HttpResponse<String> login = api.login(email, PASSWORD, code);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    assertThat(read(api.get("/me", accessToken(login))).get("roles").toString())
        .isEqualTo("[\"ORGANIZER\"]");
    assertThat(IdentityClient.part(accessToken(login), 1).get("roles").toString())
        .isEqualTo("[\"ORGANIZER\"]");
    assertThat(api.login(email, PASSWORD, code).statusCode())
        .as("a code works once")
        .isEqualTo(401);

    String recovery = enrolment.recoveryCodes().get(0);
    assertThat(recover(email, recovery).statusCode()).isEqualTo(200);
    assertThat(recover(email, recovery).statusCode()).as("used").isEqualTo(401);
    String typed = enrolment.recoveryCodes().get(1).replace("-", "").toUpperCase();
    assertThat(recover(email, typed).statusCode()).isEqualTo(200);

    assertThat(
            api.post("/auth/mfa/enrollment", json("email", email, "password", PASSWORD))
                .statusCode())
        .as("active already")
        .isEqualTo(409);
  }

  private static HttpResponse<String> recover(String email, String code) {
    return api.post(
        "/auth/login", json("email", email, "password", PASSWORD, "recoveryCode", code));
  }

  @Test
  void a_hundred_wrong_passwords_in_a_row_lock_the_account_without_saying_so() {
    String email = email();
    api.register(email, PASSWORD);
    // However long the hundred logins take, the first lock (30 s) is still on after them.
    CLOCK.stop();
    HttpResponse<String> unknown =
        api.login("nobody-" + UUID.randomUUID() + "@example.org", PASSWORD, null);
    for (int i = 0; i < 100; i++) {
      HttpResponse<String> attempt = api.login(email, "wrong guess number " + i, null);
      assertSameRefusal(attempt, unknown, "wrong guess " + i);
    }
    // Locked: even the right password is refused, and the answer is the unknown email's.
    assertSameRefusal(api.login(email, PASSWORD, null), unknown, "locked");
    assertSameRefusal(
        api.post("/auth/mfa/enrollment", json("email", email, "password", PASSWORD)),
        api.post(
            "/auth/mfa/enrollment",
            json("email", "nobody-" + UUID.randomUUID() + "@example.org", "password", PASSWORD)),
        "locked, at MFA enrolment");
    CLOCK.advance(Duration.ofSeconds(31));
    assertThat(api.login(email, PASSWORD, null).statusCode()).as("lock over").isEqualTo(200);
  }

  @Test
  void a_disabled_account_is_refused_like_an_unknown_email() {
    String email = email();
    String id = read(api.register(email, PASSWORD)).get("id").asString();
    assertThat(
            api.post("/accounts/" + id + "/disable", "", "Authorization", "Bearer " + adminToken)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> unknown =
        api.login("nobody-" + UUID.randomUUID() + "@example.org", PASSWORD, null);
    assertSameRefusal(api.login(email, PASSWORD, null), unknown, "disabled");
  }

  /** The same status, problem and headers as the unknown email's refusal: nothing to tell apart. */
  private static void assertSameRefusal(
      HttpResponse<String> refused, HttpResponse<String> unknown, String what) {
    assertThat(refused.statusCode()).as(what).isEqualTo(401);
    assertThat(refused.body()).as(what).isEqualTo(unknown.body());
    assertThat(refused.headers().firstValue("Set-Cookie"))
        .as(what)
        .isEqualTo(unknown.headers().firstValue("Set-Cookie"));
    assertThat(refused.headers().firstValue("Retry-After")).as(what).isEmpty();
  }

  @Test
  void parallel_guesses_get_no_more_password_checks_than_a_sequence() {
    String email = email();
    api.register(email, PASSWORD);
    CLOCK.stop();
    List<Integer> statuses =
        IntStream.range(0, 30)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> api.login(email, "parallel guess " + i, null).statusCode()))
            .toList()
            .stream()
            .map(CompletableFuture::join)
            .toList();
    // Every guess is refused alike (a locked account says nothing more), and the account is
    // locked now: the attempts were counted, in parallel as in a sequence.
    assertThat(statuses).containsOnly(401);
    assertThat(api.login(email, PASSWORD, null).statusCode()).as("locked").isEqualTo(401);
    CLOCK.advance(Duration.ofSeconds(31));
    assertThat(api.login(email, PASSWORD, null).statusCode()).as("lock over").isEqualTo(200);
  }

  @Test
  void bad_input_gets_a_problem_and_creates_nothing() {
    String email = email();
    List<String> bad =
        List.of(
            json("email", "not-an-email", "password", PASSWORD),
            json("email", "a".repeat(250) + "@example.org", "password", PASSWORD),
            json("email", email, "password", "x".repeat(129)),
            json("email", email, "password", "password123"),
            json("email", email),
            json("email", email, "password", PASSWORD, "language", "de"),
            json("email", email, "password", PASSWORD, "role", "ADMIN"),
            "{\"email\": 5, \"password\": true}",
            // Hostile JSON: a NUL or a lone surrogate (a 500 from the database before), a key
            // twice, data after the document (accepted before).
            json("email", "a\u0000b@example.org", "password", PASSWORD),
            "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\\ud800\"}",
            json("email", email, "password", PASSWORD)
                .replace("{", "{\"email\":\"x@example.org\","),
            json("email", email, "password", PASSWORD) + "{}",
            "{\"email\": \"" + email + "\", ",
            "[]",
            "");
    for (String body : bad) {
      HttpResponse<String> refused = api.post("/accounts", body);
      assertThat(refused.statusCode()).as(body).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(api.register(email, PASSWORD).statusCode()).as("nothing was created").isEqualTo(201);
    HttpResponse<String> taken = api.register(email.toUpperCase(), PASSWORD);
    assertThat(taken.statusCode()).isEqualTo(409);

    assertThat(api.post("/auth/login", "{\"email\":").statusCode()).isEqualTo(400);
    assertThat(api.post("/auth/login", json("email", email)).statusCode()).isEqualTo(400);
    for (String path : List.of("/auth/login", "/auth/mfa/enrollment", "/auth/mfa/activation")) {
      for (String[] fields :
          List.of(
              new String[] {"email", email + "\u0000", "password", PASSWORD},
              new String[] {"email", email, "password", "pass\u0000word"})) {
        String body = json(fields);
        if (path.endsWith("activation")) {
          body = body.replace("}", ",\"code\":\"123456\"}");
        }
        HttpResponse<String> refused = api.post(path, body);
        assertThat(refused.statusCode()).as(path + " " + body).isEqualTo(400);
        assertThat(read(refused).get("errors").findValuesAsString("field"))
            .as(path + " " + body)
            .containsExactly(
                fields[0].equals("email") && fields[1].contains("\u0000") ? "email" : "password");
      }
    }
    assertThat(
            api.login("nobody-" + UUID.randomUUID() + "@example.org", PASSWORD, null).statusCode())
        .isEqualTo(401);

    String id =
        read(api.get("/me", accessToken(api.login(email, PASSWORD, null)))).get("id").asString();
    assertThat(
            api.put("/accounts/" + id + "/roles", "{\"roles\":[\"KING\"]}", adminToken)
                .statusCode())
        .isEqualTo(400);
    // A key twice or data after the document granted roles before; now nothing changes.
    for (String hostile :
        List.of(
            "{\"roles\":[\"CUSTOMER\"],\"roles\":[\"ADMIN\"]}",
            "{\"roles\":[\"ADMIN\"]} {\"roles\":[\"CUSTOMER\"]}")) {
      assertThat(api.put("/accounts/" + id + "/roles", hostile, adminToken).statusCode())
          .as(hostile)
          .isEqualTo(400);
    }
    assertThat(
            api.put(
                    "/accounts/" + id + "/roles",
                    "{\"roles\":[\"ORGANIZER\"],\"events\":[\"evt-1\"]}",
                    adminToken)
                .statusCode())
        .as("events are for scanners")
        .isEqualTo(400);
    assertThat(
            api.put("/accounts/nobody/roles", "{\"roles\":[\"SCANNER\"]}", adminToken).statusCode())
        .isEqualTo(404);
    assertThat(api.get("/accounts?size=1000", adminToken).statusCode()).isEqualTo(400);
    assertThat(read(api.get("/accounts/" + id, adminToken)).get("roles").toString())
        .as("unchanged")
        .isEqualTo("[\"CUSTOMER\"]");
  }

  @Test
  void a_service_started_after_a_key_rotation_accepts_tokens_signed_with_the_new_key() {
    String email = email();
    api.register(email, PASSWORD);
    String before = accessToken(api.login(email, PASSWORD, null));
    HttpResponse<String> rotation =
        api.post("/signing-keys/rotation", "", "Authorization", "Bearer " + adminToken);
    assertThat(rotation.statusCode()).as(rotation.body()).isEqualTo(201);
    String keyId = read(rotation).get("keyId").asString();
    assertThat(keyId).isNotEqualTo(IdentityClient.part(before, 0).get("kid").asString());

    String[] after = new String[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              after[0] = accessToken(api.login(email, PASSWORD, null));
              return IdentityClient.part(after[0], 0).get("kid").asString().equals(keyId);
            });
    assertThat(api.get("/me", before).statusCode())
        .as("the old key until its tokens expire")
        .isEqualTo(200);

    try (ConfigurableApplicationContext late = startIdentity(false)) {
      IdentityClient lateApi = new IdentityClient(base(late));
      HttpResponse<String> me = lateApi.get("/me", after[0]);
      assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
      assertThat(read(me).get("email").asString()).isEqualTo(email);
    }
  }

  private record Enrolment(byte[] secret, List<String> recoveryCodes) {}

  private static Enrolment enrolAndActivate(String email, String password) {
    HttpResponse<String> enrolled =
        api.post("/auth/mfa/enrollment", json("email", email, "password", password));
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
    String uri = read(enrolled).get("otpauthUri").asString();
    String qr = read(enrolled).get("qrCode").asString();
    try {
      assertThat(
              QrReader.read(
                  Base64.getDecoder().decode(qr.substring("data:image/png;base64,".length()))))
          .isEqualTo(uri);
    } catch (Exception e) {
      throw new AssertionError("the enrolment QR code does not read", e);
    }
    byte[] secret = secretOf(uri);
    assertThat(
            api.post(
                    "/auth/mfa/activation",
                    json(
                        "email",
                        email,
                        "password",
                        password,
                        "code",
                        code(secret, CLOCK.instant(), 7)))
                .statusCode())
        .as("a wrong first code")
        .isEqualTo(401);
    HttpResponse<String> activated =
        api.post(
            "/auth/mfa/activation",
            json("email", email, "password", password, "code", code(secret, CLOCK.instant(), 0)));
    assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
    List<String> codes = new ArrayList<>();
    read(activated).get("recoveryCodes").forEach(code -> codes.add(code.asString()));
    return new Enrolment(secret, codes);
  }

  private static String email() {
    return "buyer-" + unique() + "@identity-it.example.org";
  }

  /**
   * One run of 32 hex digits: a dashed UUID's four-digit pieces would now and then turn up in
   * PASSWORD's own UUID, and identity refuses a password containing a piece of the email's name.
   */
  private static String unique() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
