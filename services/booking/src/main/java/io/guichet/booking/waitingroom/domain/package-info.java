/** The waiting room's rules: settings, admission budgets, places and signed passes; plain Java. */
package io.guichet.booking.waitingroom.domain;
