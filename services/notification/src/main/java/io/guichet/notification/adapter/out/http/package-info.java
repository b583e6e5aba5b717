/** Posting deliveries to partners' endpoints. */
package io.guichet.notification.adapter.out.http;
