/** {@code /waiting-rooms/**}: organizers' settings, buyers' arrivals, places and their streams. */
package io.guichet.booking.waitingroom.adapter.in.web;
