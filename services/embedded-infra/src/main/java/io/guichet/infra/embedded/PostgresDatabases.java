package io.guichet.infra.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server that hands out databases: the embedded one ({@link EmbeddedPostgresServer})
 * or, under the tests' {@code -Pdocker} profile, the official image in a container. Connections are
 * as its superuser, whose name the URLs carry.
 */
public interface PostgresDatabases {

  /** JDBC URL of a database on this server. */
  String jdbcUrl(String database);

  /** R2DBC URL of a database on this server. */
  String r2dbcUrl(String database);

  /** Creates a database unless it exists; each service (or test) gets its own. */
  void createDatabase(String database);

  /**
   * Creates a database on the server this connection (to its maintenance database) is on, unless it
   * exists. Only plain names (lower-case letters, digits, underscores) are accepted, which makes
   * the name safe in the statement.
   */
  static void createIfAbsent(Connection connection, String database) {
    if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
        if (exists.next()) {
          return;
        }
      }
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database, e);
    }
  }
}
