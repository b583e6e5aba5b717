/** The gate's out/r2dbc adapter. */
package io.guichet.gate.adapter.out.r2dbc;
