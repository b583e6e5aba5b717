/** Ticketing's out/r2dbc adapter. */
package io.guichet.ticketing.adapter.out.r2dbc;
