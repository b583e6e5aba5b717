/** Payment's out/kafka adapter. */
package io.guichet.payment.adapter.out.kafka;
