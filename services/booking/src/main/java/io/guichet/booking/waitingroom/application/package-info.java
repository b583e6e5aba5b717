/** The waiting room's use cases: configure a room, join it, see one's place, admit by the clock. */
package io.guichet.booking.waitingroom.application;
