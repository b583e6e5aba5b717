/** The retry topics' consumers. */
package io.guichet.notification.adapter.in.kafka;
