package io.guichet.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A service's stored positions held, as by a slow database: a transaction locks its {@code
 * consumed_offsets} table, so its projections read records but cannot commit them (reading the
 * positions is still allowed), until {@link #release()}. What a catch-up test starts a service
 * under.
 */
public final class HeldPositions implements AutoCloseable {

  private final Connection connection;

  /** Holds the positions of this database of the shared PostgreSQL (its tables must exist). */
  public static HeldPositions of(String database) throws SQLException {
    return new HeldPositions(
        DriverManager.getConnection(TestInfrastructure.get().postgres().jdbcUrl(database)));
  }

  private HeldPositions(Connection connection) throws SQLException {
    this.connection = connection;
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE consumed_offsets IN EXCLUSIVE MODE");
    }
  }

  /** Lets the projections write again. */
  public void release() throws SQLException {
    connection.commit();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
