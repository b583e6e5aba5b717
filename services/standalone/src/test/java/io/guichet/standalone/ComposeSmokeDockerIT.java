package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The compose stack as a user starts it ({@code docker-compose.yml}: three brokers, Confluent's
 * schema registry, PostgreSQL, every service built from its jar, nginx in front), then one purchase
 * through nginx over TLS, as {@link StandaloneIT} makes it on the standalone. It runs only in the
 * {@code -Pdocker} profile (its name ends in DockerIT), and refuses, naming the cause, without a
 * Docker engine. The secrets are fresh for each run and passed to compose, not written to a {@code
 * .env}; nginx's development certificate is written as {@code infra/compose-setup.sh} writes it,
 * and trusted by this test's client.
 */
class ComposeSmokeDockerIT {

  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final String ADMIN_EMAIL = "admin@guichet.localhost";

  private static ComposeContainer compose;
  private static String adminPassword;

  @BeforeAll
  static void startTheComposeStack() throws Exception {
    assertThat(DockerClientFactory.instance().isDockerAvailable())
        .as(
            "no Docker engine: the compose smoke test needs one (run it with -Pdocker on a Docker host)")
        .isTrue();
    Process certificate =
        new ProcessBuilder("bash", ROOT.resolve("infra/nginx/dev-certificate.sh").toString())
            .inheritIO()
            .start();
    assertThat(certificate.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(certificate.exitValue()).isZero();
    adminPassword = secret(18);
    Map<String, String> secrets = new HashMap<>();
    secrets.put("POSTGRES_PASSWORD", HexFormat.of().formatHex(bytes(24)));
    secrets.put("TICKETING_MASTER_KEY", secret(32));
    secrets.put("IDENTITY_MASTER_KEY", secret(32));
    secrets.put("NOTIFICATION_MASTER_KEY", secret(32));
    secrets.put("WAITING_ROOM_PASS_KEY", secret(32));
    secrets.put("IDENTITY_ADMIN_PASSWORD", adminPassword);
    secrets.put("GRAFANA_ADMIN_PASSWORD", HexFormat.of().formatHex(bytes(12)));
    compose =
        new ComposeContainer(new File(ROOT.resolve("docker-compose.yml").toString()))
            .withBuild(true)
            .withEnv(secrets)
            .waitingFor("nginx", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(10)));
    compose.start();
  }

  @AfterAll
  static void stopIt() {
    if (compose != null) {
      compose.stop();
    }
  }

  @Test
  void one_purchase_goes_through_nginx_to_every_service_and_is_confirmed() throws Exception {
    GuichetApi api = new GuichetApi("https://localhost", trustingTheDevelopmentCertificate());
    assertThat(api.send("GET", "/health", null, null).body()).contains("UP");
    StandaloneIT.People people =
        StandaloneIT.people(api, api.loginWithSecondFactor(ADMIN_EMAIL, adminPassword));

    StandaloneIT.Purchase purchase = StandaloneIT.buyerPaysForSeatsOfAnOrganizersEvent(people);

    assertThat(purchase.status()).isEqualTo("CONFIRMED");
  }

  /** An HTTP client that trusts nginx's development certificate (and nothing else). */
  private static HttpClient trustingTheDevelopmentCertificate() throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream certificate =
        Files.newInputStream(ROOT.resolve("infra/nginx/certs/guichet-dev.crt"))) {
      trusted.setCertificateEntry(
          "guichet-dev", CertificateFactory.getInstance("X.509").generateCertificate(certificate));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), new SecureRandom());
    return HttpClient.newBuilder().sslContext(tls).build();
  }

  private static byte[] bytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static String secret(int count) {
    return Base64.getEncoder().encodeToString(bytes(count));
  }
}
