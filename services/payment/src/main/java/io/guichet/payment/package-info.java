/** The payment service: charges held reservations, once, and publishes what happened. */
package io.guichet.payment;
