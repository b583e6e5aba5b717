/** Payment's in/kafka adapter. */
package io.guichet.payment.adapter.in.kafka;
