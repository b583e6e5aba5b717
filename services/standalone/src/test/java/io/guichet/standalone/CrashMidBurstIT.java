package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.schemas.Topics;
import io.guichet.testsupport.ApiRequests;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone killed (SIGKILL) in the middle of a burst of reservations, and started again on
 * the same data: every hold made before the kill is paid within 30 seconds of the restart, each
 * payment accepted at its first try once payment serves again, and each confirmed by the allocator.
 * Payment learns the holds from booking's outcomes (its payables projection), which it must have
 * caught up on after the restart.
 */
class CrashMidBurstIT {

  private static final int BUYERS = 40;
  private static final int REQUESTS_PER_BUYER = 40;
  private static final int SEATS = 300;

  /** Accepted requests after which the JVM is killed: about half of the burst. */
  private static final int KILL_AFTER = BUYERS * REQUESTS_PER_BUYER / 2;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path data;

  @Test
  void every_hold_made_before_a_kill_mid_burst_is_paid_within_thirty_seconds_of_the_restart()
      throws Exception {
    String event;
    Map<String, String> tokens = new LinkedHashMap<>();
    Instant killedAt;
    int accepted;
    try (StandaloneProcess first = StandaloneProcess.start(data)) {
      GuichetApi api = new GuichetApi(first.address("gateway"));
      String admin =
          api.loginWithSecondFactor(
              io.guichet.identity.IdentityService.ADMIN_EMAIL,
              first.secrets().get("identity-admin-password"));
      String password = GuichetApi.password();
      String organizerEmail = "organizer-" + GuichetApi.unique() + "@burst-it.example.org";
      api.grant(admin, api.register(organizerEmail, password), List.of("ORGANIZER"), List.of());
      event =
          api.onSale(api.loginWithSecondFactor(organizerEmail, password), "Burst night", SEATS, 10);
      // Buyers are made at identity itself: the gateway limits logins per address.
      GuichetApi identity = new GuichetApi(first.address("identity"));
      for (int i = 0; i < BUYERS; i++) {
        String email = "buyer-" + GuichetApi.unique() + "@burst-it.example.org";
        String account = identity.register(email, password);
        tokens.put(account, identity.login(email, password));
      }
      String offer = api.firstOffer(event);

      // The burst goes to booking itself (the gateway would limit one address), 16 at a time.
      String booking = first.address("booking");
      String request = "{\"event\":\"" + event + "\",\"offer\":\"" + offer + "\",\"quantity\":1}";
      Semaphore inFlight = new Semaphore(16);
      AtomicInteger acceptedCount = new AtomicInteger();
      List<CompletableFuture<?>> sent = new ArrayList<>();
      outer:
      for (int round = 0; round < REQUESTS_PER_BUYER; round++) {
        for (String token : tokens.values()) {
          if (acceptedCount.get() >= KILL_AFTER) {
            break outer;
          }
          inFlight.acquire();
          sent.add(
              HTTP.sendAsync(
                      ApiRequests.of(booking + "/reservations", "POST", token, request)
                          .timeout(Duration.ofSeconds(30))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .whenComplete(
                      (response, failure) -> {
                        inFlight.release();
                        if (response != null && response.statusCode() == 202) {
                          acceptedCount.incrementAndGet();
                        }
                      }));
        }
      }
      // Requests are still in flight: the kill lands in the middle of the burst.
      first.crash();
      killedAt = Instant.now();
      accepted = acceptedCount.get();
      sent.forEach(future -> future.exceptionally(failure -> null).join());
    }
    assertThat(accepted).as("accepted before the kill").isBetween(KILL_AFTER, KILL_AFTER + 16);

    try (StandaloneProcess second = StandaloneProcess.start(data)) {
      Instant restarted = Instant.now();
      // The holds the allocator had committed when the JVM died.
      Map<String, SeatsHeld> holds = new LinkedHashMap<>();
      for (ConsumerRecord<String, SpecificRecord> outcome : outcomes(second)) {
        if (outcome.value() instanceof SeatsHeld held
            && held.getEventId().equals(event)
            && outcome.timestamp() < killedAt.toEpochMilli()) {
          holds.put(held.getReservationId(), held);
        }
      }
      assertThat(holds).as("holds made before the kill").isNotEmpty();

      String payment = second.address("payment");
      List<String> bodies = new ArrayList<>();
      List<String> payers = new ArrayList<>();
      for (SeatsHeld held : holds.values()) {
        payers.add(tokens.get(held.getCustomerId()));
        bodies.add(
            "{\"reservation\":\""
                + held.getReservationId()
                + "\",\"amountMinor\":"
                + held.getAmountMinor()
                + ",\"currency\":\""
                + held.getCurrency()
                + "\",\"paymentMethod\":\"4242424242424242\"}");
      }
      // Only the very first payment waits for payment to serve again: until it has read booking's
      // outcomes since its start it answers 503 with Retry-After, and charges nothing.
      List<HttpResponse<String>> firstPaid = new ArrayList<>();
      await()
          .atMost(Duration.between(Instant.now(), restarted.plusSeconds(30)))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                firstPaid.add(post(payment + "/payments", payers.get(0), bodies.get(0)));
                return firstPaid.get(firstPaid.size() - 1).statusCode() != 503;
              });
      HttpResponse<String> served = firstPaid.get(firstPaid.size() - 1);
      Duration serving = Duration.between(restarted, Instant.now());
      assertThat(served.statusCode()).as(served.body()).isEqualTo(201);
      // The other buyers pay as buyers do, many at once (16 payments in flight); each first try
      // must be accepted.
      Semaphore paying = new Semaphore(16);
      List<CompletableFuture<HttpResponse<String>>> payments = new ArrayList<>();
      for (int i = 1; i < bodies.size(); i++) {
        paying.acquire();
        payments.add(
            HTTP.sendAsync(
                    ApiRequests.of(payment + "/payments", "POST", payers.get(i), bodies.get(i))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> paying.release()));
      }
      for (CompletableFuture<HttpResponse<String>> paid : payments) {
        HttpResponse<String> answer = paid.join();
        assertThat(answer.statusCode()).as("first try: %s", answer.body()).isEqualTo(201);
      }
      Duration payingTook = Duration.between(restarted, Instant.now());
      System.out.printf(
          "%d requests accepted before the kill, %d holds made before it; payment served again"
              + " %.1f s after the restart, every hold paid %.1f s after it%n",
          accepted, holds.size(), serving.toMillis() / 1000.0, payingTook.toMillis() / 1000.0);
      assertThat(payingTook).as("every hold paid").isLessThan(Duration.ofSeconds(30));

      // And the allocator confirms each one.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  outcomes(second).stream()
                          .map(ConsumerRecord::value)
                          .filter(ReservationConfirmed.class::isInstance)
                          .map(value -> ((ReservationConfirmed) value).getReservationId())
                          .filter(holds::containsKey)
                          .distinct()
                          .count()
                      == holds.size());
    }
  }

  private static HttpResponse<String> post(String url, String token, String body) throws Exception {
    return HTTP.send(
        ApiRequests.of(url, "POST", token, body).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every committed outcome on booking.reservations, read to the end. */
  private static List<ConsumerRecord<String, SpecificRecord>> outcomes(
      StandaloneProcess standalone) {
    return standalone.committed(Topics.RESERVATIONS.name());
  }
}
