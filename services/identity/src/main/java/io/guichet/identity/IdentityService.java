package io.guichet.identity;

import io.guichet.platform.standalone.GuichetService;
import io.guichet.platform.standalone.RunningService;
import io.guichet.platform.standalone.StandaloneEnvironment;
import io.guichet.web.BootServices;

/**
 * identity in the standalone mode. Its master key and the first administrator's password are
 * generated development secrets (in the data directory's secrets file).
 */
public final class IdentityService implements GuichetService {

  public static final String ADMIN_EMAIL = "admin@guichet.localhost";

  @Override
  public String name() {
    return "identity";
  }

  /**
   * After the others, on the next port (8087), so theirs stay as they were. They need not wait for
   * it: each reads identity's keys from the topic whenever they are published.
   */
  @Override
  public int order() {
    return 60;
  }

  @Override
  public RunningService start(StandaloneEnvironment environment) {
    return BootServices.start(
        IdentityApplication.application(),
        environment,
        "identity",
        "(POST /accounts, /auth/login, /auth/refresh, GET /me; admin " + ADMIN_EMAIL + ")",
        "--guichet.identity.bootstrap-servers=" + environment.kafkaBootstrapServers(),
        "--guichet.identity.schema-registry-url=" + environment.schemaRegistryUrl(),
        "--guichet.identity.master-key=" + environment.secrets().get("identity-master-key"),
        "--guichet.identity.admin-email=" + ADMIN_EMAIL,
        "--guichet.identity.admin-password="
            + environment.secrets().get("identity-admin-password"));
  }
}
