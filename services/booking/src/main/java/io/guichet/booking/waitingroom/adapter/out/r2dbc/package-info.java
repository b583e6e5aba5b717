/** The rooms and places in PostgreSQL: the one writer of places, the admission ticks, reads. */
package io.guichet.booking.waitingroom.adapter.out.r2dbc;
