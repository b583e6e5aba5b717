/** The read models in PostgreSQL: their projection, queries, schema and rebuilds. */
package io.guichet.query.adapter.out.r2dbc;
