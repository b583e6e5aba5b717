/** Payment's use cases and the ports they need (provider, store). */
package io.guichet.payment.application;
