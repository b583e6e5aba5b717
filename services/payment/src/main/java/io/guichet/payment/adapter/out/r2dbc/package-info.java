/** Payment's out/r2dbc adapter. */
package io.guichet.payment.adapter.out.r2dbc;
