/** The catalog's table, through R2DBC. */
package io.guichet.catalog.adapter.out.r2dbc;
