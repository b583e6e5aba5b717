/** What identity publishes, through the outbox. */
package io.guichet.identity.adapter.out.kafka;
