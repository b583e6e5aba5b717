/** Booking's tables: idempotency keys and reservation status, through R2DBC. */
package io.guichet.booking.adapter.out.r2dbc;
