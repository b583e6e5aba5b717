package io.guichet.payment;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;

/** Payment in the standalone mode, with the simulated provider. */
public final class PaymentService implements GuichetService {

  @Override
  public String name() {
    return "payment";
  }

  /**
   * Services start in a fixed order, so each keeps its port (booking 8082, catalog 8083, payment
   * 8084...).
   */
  @Override
  public int order() {
    return 30;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    return BootServices.start(
        PaymentApplication.application(),
        environment,
        "payment",
        "(POST /payments with the simulated provider's test cards, GET /payments/{id})",
        "--guichet.payment.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.payment.schema-registry-url=" + environment.schemaRegistryUrl());
  }
}
