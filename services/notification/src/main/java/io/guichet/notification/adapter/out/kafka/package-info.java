/** The retry and dead-letter topics of emails. */
package io.guichet.notification.adapter.out.kafka;
