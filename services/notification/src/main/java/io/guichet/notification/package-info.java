/** The notification service: emails to buyers, exactly one per fact. */
package io.guichet.notification;
