/** Sending each email once: claiming, rendering, sending, retrying and dead-lettering. */
package io.guichet.notification.application;
