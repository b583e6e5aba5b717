/** The catalog's facts as Avro events, recorded in the outbox. */
package io.guichet.catalog.adapter.out.kafka;
