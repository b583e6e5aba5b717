package io.guichet.outbox;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * Plain connections to a service's database, outside its pool, for what holds one connection for
 * long: the outbox relay (whose advisory lock must end with its connection) and {@code LISTEN}.
 */
public final class UnpooledConnections {

  private UnpooledConnections() {}

  /**
   * @param url the R2DBC URL (without {@code pool:})
   * @param username the user, or null or empty to keep the URL's
   * @param password the password, or null or empty to keep the URL's
   */
  public static ConnectionFactory to(String url, String username, String password) {
    ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(url).mutate();
    if (username != null && !username.isEmpty()) {
      options.option(ConnectionFactoryOptions.USER, username);
    }
    if (password != null && !password.isEmpty()) {
      options.option(ConnectionFactoryOptions.PASSWORD, password);
    }
    return ConnectionFactories.get(options.build());
  }
}
