/** Payment's rules: what may be paid, for how much, and how a payment moves. */
package io.guichet.payment.domain;
